"""The interpreter's settings, changed in one place (hlexplore.interpreter)."""

from __future__ import annotations

import gc
import threading

from hlexplore import interpreter


def test_bulks_in_several_threads_nest_and_freeze_only_until_the_explorer_starts(monkeypatch) -> None:
    monkeypatch.setattr(interpreter, "_freezing", True)
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with interpreter.bulk():
            inside.set()
            leave.wait(10)

    worker = threading.Thread(target=other)
    frozen = gc.get_freeze_count()
    with interpreter.bulk():
        worker.start()
        inside.wait(10)
    assert not gc.isenabled()  # the other thread's bulk is still running
    leave.set()
    worker.join()
    assert gc.isenabled()
    made = [[n] for n in range(1000)]  # tracked objects, made after the freeze above
    with interpreter.bulk():
        pass
    assert gc.get_freeze_count() >= frozen + len(made)  # before the explorer: what was made is frozen
    interpreter.explorer_started()
    assert not interpreter._freezing
    gc.unfreeze()
    more = [[n] for n in range(1000)]
    with interpreter.bulk():
        pass
    assert gc.get_freeze_count() == 0 and gc.isenabled() and more  # the explorer's objects stay collectable
