"""The in-process deadline scheduler: a thread that runs a pass every few seconds.

All state is in the database, so stopping the server loses nothing; the first pass after a
restart marks overdue and escalates whatever fell due while it was down.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from lantern.duties import delivery, service

log = logging.getLogger(__name__)


class Scheduler:
    """Runs `service.scheduler_pass`, then sends due deliveries, every `interval` seconds until stopped."""

    def __init__(self, session_factory: sessionmaker[Session], interval: float) -> None:
        self._factory = session_factory
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lantern-duty-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self._factory.begin() as db:
                    moved = service.scheduler_pass(db=db)
                if any(moved.values()):
                    log.info("duty scheduler: %s", moved)
            except Exception:  # noqa: BLE001 - a failed pass is logged and retried, never fatal
                log.exception("duty scheduler pass failed; retrying")
            self._deliver()
            self._stop.wait(self._interval)

    def _deliver(self) -> None:
        """Send what the outbox holds, after the pass; a failure here leaves the pass unaffected."""
        try:
            sent = delivery.deliver_due(session_factory=self._factory, config=delivery.config_of(self._factory))
            if any(sent.values()):
                log.info("duty delivery: %s", sent)
            if sent["failed"]:
                log.warning("duty delivery: %d given up after %d attempts", sent["failed"], delivery.MAX_ATTEMPTS)
        except Exception:  # noqa: BLE001 - rows stay pending and are retried on the next pass
            log.exception("duty delivery failed; retrying")
