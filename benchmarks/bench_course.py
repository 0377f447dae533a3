"""How long each lesson takes to run top to bottom, and the whole course.

Each notebook runs once, one after the other, in a fresh ``python3`` kernel
(kernel start-up and the TensorFlow import included), exactly as the test
suite runs it (``coursetools.notebooks.execute``). Goals: a lesson in
at most 20 s, the course in at most 12 s a notebook on average on a 2-core CPU (the
90 s first set for the start page and six lessons, about 13 s each, kept per notebook
as lessons 07 and 08 came; about 7 s CPU of a lesson is the kernel's start and the
TensorFlow import). These are absolute
times, not ratios: they are what a learner waits for. On a shared machine
they grow with the load, so each lesson's CPU time (the kernel's user +
system seconds, which the load hardly changes) is reported next to it.
"""

from __future__ import annotations

import os
import resource

from coursetools import notebooks

LESSON_GOAL, COURSE_GOAL_PER_NOTEBOOK = 20.0, 12.0


def run(report):
    total = total_cpu = 0.0
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    lessons = notebooks.lessons()
    course_goal = COURSE_GOAL_PER_NOTEBOOK * len(lessons)
    for path in lessons:
        cpu_before = _children_cpu()
        _, seconds = notebooks.execute(path, timeout=300)
        cpu = _children_cpu() - cpu_before
        total, total_cpu = total + seconds, total_cpu + cpu
        report(f"course: {path.stem}", seconds, goal=f"<= {LESSON_GOAL:g} s", unit="s", met=seconds <= LESSON_GOAL)
        report(f"course: {path.stem} (kernel CPU time)", cpu, unit="s")
    report(
        "course: all lessons, one after the other",
        total,
        goal=f"<= {course_goal:g} s",
        unit="s",
        met=total <= course_goal,
    )
    report("course: all lessons (kernel CPU time)", total_cpu, unit="s")
    print(f"  (load average {os.getloadavg()[0]:.1f} at the end)")


def _children_cpu():
    """User + system seconds of finished child processes (the lessons' kernels, once shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
