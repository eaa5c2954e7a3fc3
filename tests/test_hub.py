"""Fan-out rules of the hub, with in-memory sockets (no server needed)."""

import asyncio
import json

from live.hub import CLOSE_RESYNC, QUEUE_SIZE, Channel, Subscriber


class FakeState:
    """Stands in for the database: each commit bumps the seq and changes a region."""

    def __init__(self) -> None:
        self.seq = 0
        self.renders = 0

    def render(self, slug, kinds, presence):
        self.renders += 1
        return self.seq, "epoch", {kind: {"main": f"<p>{kind} at {self.seq}</p>"} for kind in kinds}


class FakeSocket:
    def __init__(self, stalled: bool = False) -> None:
        self.stalled = stalled
        self.received: list[dict] = []
        self.closed_with: int | None = None

    async def send_text(self, data: str) -> None:
        if self.stalled:
            await asyncio.Event().wait()  # a phone that stopped reading: never returns
        self.received.append(json.loads(data))

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed_with = code


async def settle() -> None:
    """Let the publisher (which renders in a worker thread) run."""
    for _ in range(5):
        await asyncio.sleep(0.004)


def test_a_stalled_socket_is_dropped_and_the_others_get_everything():
    async def scenario():
        state = FakeState()
        channel = Channel("demo", state.render)
        healthy, stalled = FakeSocket(), FakeSocket(stalled=True)
        for sock in (healthy, stalled):
            await channel.join(Subscriber(sock, "projector", "projector"))
        for _ in range(QUEUE_SIZE + 10):
            state.seq += 1
            channel.changed()
            await settle()
        await channel.close()
        return healthy, stalled

    healthy, stalled = asyncio.run(scenario())
    assert stalled.closed_with == CLOSE_RESYNC
    seqs = [m["seq"] for m in healthy.received]
    assert healthy.received[0]["type"] == "snapshot"
    assert seqs == list(range(QUEUE_SIZE + 11))  # snapshot at 0, then every patch in order
    assert all(m["prev"] == m["seq"] - 1 for m in healthy.received[1:])


def test_one_render_per_screen_kind_not_per_socket():
    async def scenario():
        state = FakeState()
        channel = Channel("demo", state.render)
        sockets = [FakeSocket() for _ in range(50)]
        for i, sock in enumerate(sockets):
            await channel.join(Subscriber(sock, "mc" if i % 2 else "projector", "mc"))
        before = state.renders
        state.seq += 1
        channel.changed()
        await settle()
        await channel.close()
        return state.renders - before, sockets

    renders, sockets = asyncio.run(scenario())
    assert renders == 1  # one read + render for both kinds together
    for sock in sockets:
        assert sock.received[-1]["seq"] == 1


def test_quick_commits_fold_into_a_patch_whose_prev_the_screen_holds():
    async def scenario():
        state = FakeState()
        channel = Channel("demo", state.render)
        sock = FakeSocket()
        await channel.join(Subscriber(sock, "mc", "mc"))
        state.seq = 5  # five commits before the publisher runs
        for _ in range(5):
            channel.changed()
        await settle()
        await channel.close()
        return sock

    sock = asyncio.run(scenario())
    assert [(m["type"], m.get("prev"), m["seq"]) for m in sock.received] == [
        ("snapshot", None, 0),
        ("patch", 0, 5),
    ]


def test_a_part_rendered_while_the_last_screen_left_is_never_kept_as_the_whole():
    """A page is drawn from what the hub last sent its kind (Hub.drawn). If the kind's last
    screen leaves while a render of only the regions that changed runs, that part must not
    become the kind's picture: a page drawn from it would lack regions (a 500, seen on
    PostgreSQL, where renders take longer)."""
    import threading

    rendering, release = threading.Event(), threading.Event()

    def render(slug, wanted, presence):
        regions = {}
        for kind, names in wanted.items():
            if names is not None:  # a partial render: hold it until the screen has left
                rendering.set()
                release.wait(5)
            regions[kind] = {n: f"<p>{n}</p>" for n in (names or ("a", "b"))}
        return 1, "epoch", regions

    async def scenario():
        channel = Channel("demo", render, regions_for=lambda kind, pending: ["b"])
        sub = Subscriber(FakeSocket(), "mc", "mc")
        await channel.join(sub)
        await settle()
        assert set(channel.sent["mc"]) == {"a", "b"}
        channel.changed({"x"}, 1)
        while not rendering.is_set():
            await asyncio.sleep(0.002)
        channel.leave(sub)  # the last MC screen goes while "b" alone is rendered
        release.set()
        await settle()
        kept = dict(channel.sent.get("mc", {"a": "", "b": ""}))
        await channel.close()
        return kept

    assert set(asyncio.run(scenario())) == {"a", "b"}
