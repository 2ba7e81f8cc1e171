"""Browser sessions kept in memory only: a random id, a token against cross-site requests, an expiry.

The proposal itself stays in the browser; the server keeps no proposal, report or upload after the
request that used it. A session that has not been seen for IDLE_SECONDS is forgotten.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass

IDLE_SECONDS = 2 * 60 * 60
MAX_SESSIONS = 1_000      # a local tool has one user; a flood of new sessions cannot grow memory without end


@dataclass
class Session:
    id: str
    token: str        # sent back in a header with every request that changes something
    seen: float


class Sessions:
    def __init__(self, idle_seconds: float = IDLE_SECONDS, clock=time.monotonic):
        self.idle_seconds = idle_seconds
        self.clock = clock
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        for sid in [s.id for s in self._by_id.values() if now - s.seen > self.idle_seconds]:
            del self._by_id[sid]
        while len(self._by_id) >= MAX_SESSIONS:   # the least recently seen goes first
            del self._by_id[min(self._by_id.values(), key=lambda s: s.seen).id]

    def get(self, sid: str | None) -> Session | None:
        with self._lock:
            now = self.clock()
            self._expire(now)
            session = self._by_id.get(sid or "")
            if session is not None:
                session.seen = now
            return session

    def start(self) -> Session:
        with self._lock:
            now = self.clock()
            self._expire(now)
            session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), now)
            self._by_id[session.id] = session
            return session

    def token_ok(self, sid: str | None, token: str | None) -> bool:
        session = self.get(sid)
        return session is not None and token is not None and hmac.compare_digest(session.token, token)

    def __len__(self) -> int:
        return len(self._by_id)
