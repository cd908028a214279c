"""The parsing process hands batches to the writer through a sender thread: it goes on parsing while a
batch waits in the pipe, holds at most `ahead` batches, and stops when the writer has gone."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import threading
from typing import Any

import pytest

from lantern.events.flows import _receive, _Sender

BIG = 200_000  # bytes: more than a pipe holds, so a write waits for the reader


def _batch(number: int) -> dict[str, Any]:
    return {"number": number, "padding": b"x" * BIG}


def test_batches_arrive_whole_and_in_order_while_the_next_are_prepared() -> None:
    read_end, write_end = os.pipe()
    with open(write_end, "wb") as out, open(read_end, "rb") as source:
        sender = _Sender(out, ahead=2)
        first_three = threading.Thread(target=lambda: [sender.send(_batch(number)) for number in range(3)])
        first_three.start()
        first_three.join(timeout=10)
        assert not first_three.is_alive(), "nobody reads yet: the first three are sent all the same, to wait"
        fourth_waits = threading.Thread(target=sender.send, args=(_batch(3),))
        fourth_waits.start()
        fourth_waits.join(timeout=0.5)
        assert fourth_waits.is_alive(), "one batch in the pipe and two waiting: the fourth send waits for the reader"
        received = [pickle.load(source) for _ in range(4)]
        fourth_waits.join(timeout=10)
        assert not fourth_waits.is_alive()
        sender.send(None)  # what the parsing process sends last when nothing went wrong
        sender.close()
        assert pickle.load(source) is None
    assert [batch["number"] for batch in received] == [0, 1, 2, 3]
    assert all(batch["padding"] == b"x" * BIG for batch in received)


def test_a_writer_that_has_gone_stops_the_sending() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "wb") as out:
        sender = _Sender(out, ahead=1)
        with pytest.raises(BrokenPipeError):
            for number in range(10):  # the first write fails, after which a send says so at once
                sender.send(_batch(number))


def test_a_batch_cut_off_by_the_parsing_process_stopping_is_reported_as_that() -> None:
    cut = io.BytesIO(pickle.dumps(_batch(0), protocol=pickle.HIGHEST_PROTOCOL)[: BIG // 2])
    stopped = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(RuntimeError, match=r"the parsing process stopped \(exit code 3\)"):
        _receive(stopped, cut)
