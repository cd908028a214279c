"""A server process lets in as many requests at a time as it has threads; the rest wait in order (ADR 45)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from lantern.main import Admission


def test_no_more_requests_than_the_limit_run_at_once_and_the_rest_are_served_in_order() -> None:
    running, most, started = 0, 0, []

    async def slow(request: Request) -> PlainTextResponse:
        nonlocal running, most
        running += 1
        most = max(most, running)
        started.append(int(request.query_params["n"]))
        await asyncio.sleep(0.05)
        running -= 1
        return PlainTextResponse("ok")

    app = Admission(Starlette(routes=[Route("/", slow)]), limit=2)

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            calls = []
            for n in range(8):
                calls.append(asyncio.ensure_future(client.get("/", params={"n": n})))
                await asyncio.sleep(0.001)  # arrive in order
            return [r.status_code for r in await asyncio.gather(*calls)]

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: the browser tests leave an event loop running here
        assert pool.submit(asyncio.run, run()).result() == [200] * 8
    assert most == 2
    assert started == list(range(8))
