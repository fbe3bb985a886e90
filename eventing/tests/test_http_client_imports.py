"""An outgoing HTTP call (httpx over httpcore) looks nothing up in the import system.

httpcore asks `import sniffio` several times per request; without sniffio installed each ask was a
failed import, a search of every sys.path entry (~10% of the gateway's py-spy samples under load,
where every API call is forwarded)."""

import asyncio
import sys

import httpx

RESPONSE = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok"


class Recorder:
    """A meta path finder that only records what the import system was asked to find."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def find_spec(self, name, path=None, target=None):
        self.asked.append(name)


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while await reader.readuntil(b"\r\n\r\n"):
            writer.write(RESPONSE)
            await writer.drain()
    except asyncio.IncompleteReadError:  # the client closed its connection
        writer.close()


async def test_forwarded_requests_import_nothing():
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    recorder = Recorder()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/")).text == "ok"  # the first call may import lazily
            sys.meta_path.insert(0, recorder)
            try:
                answers = [(await client.get(f"/{n}")).text for n in range(5)]
            finally:
                sys.meta_path.remove(recorder)
    finally:
        server.close()

    assert answers == ["ok"] * 5
    assert recorder.asked == []
