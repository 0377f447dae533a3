# Thin aliases for dev.py, which holds the logic (and needs only Python 3.11+).
PYTHON ?= python3

.PHONY: setup course test bench site lint lock
setup:
	$(PYTHON) dev.py setup
course:
	$(PYTHON) dev.py course
test:
	$(PYTHON) dev.py test
bench:
	$(PYTHON) dev.py bench
site:
	$(PYTHON) dev.py site
lint:
	$(PYTHON) dev.py lint
lock:
	$(PYTHON) dev.py lock
