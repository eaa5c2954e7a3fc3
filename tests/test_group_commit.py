"""Commands that arrive together are written together (live.runtime.GroupCommit)."""

import asyncio

from starlette.testclient import TestClient

from live import runtime
from live.app import create_app
from live.commands import CommandError, Outcome, execute_batch


def submit(i: int, name: str | None = None) -> tuple[str, str, str, dict]:
    return (
        "demo",
        "audience",
        "question.submit",
        {
            "asker_name": f"Đại biểu {i}" if name is None else name,
            "asker_unit": "Công đoàn Khu công nghiệp",
            "text": f"Câu hỏi số {i} về lương",
        },
    )


def test_a_burst_is_written_in_few_transactions_in_the_order_it_came(settings, monkeypatch):
    groups: list[int] = []

    def counted(engine, slug, requests, now=None, memo=None):
        groups.append(len(requests))
        return execute_batch(engine, slug, requests, now, memo)

    monkeypatch.setattr(runtime, "execute_batch", counted)
    with TestClient(create_app(settings)) as client:
        live = client.app.state.live
        heard: list[int] = []
        live.bus.subscribe(lambda commit: heard.append(commit.seq))

        async def burst() -> list:
            sent = [submit(i, name="" if i == 7 else None) for i in range(40)]
            return await asyncio.gather(
                *(live.run_command(*s) for s in sent), return_exceptions=True
            )

        results = client.portal.call(burst)
        refused = results.pop(7)
        assert isinstance(refused, CommandError) and refused.code == "missing"
        assert all(isinstance(r, Outcome) for r in results)
        # in the order they came, one seq each, none lost to the refusal
        assert [r.seq for r in results] == list(range(1, 40))
        numbers = [r.answer["number"] for r in results]
        assert numbers == sorted(numbers) and len(set(numbers)) == 39
        assert heard == list(range(1, 40))  # every commit published, before any answer
        assert sum(groups) == 40 and len(groups) <= 2, groups

        # one command alone is written at once, in a group of its own
        groups.clear()
        alone = client.portal.call(live.run_command, *submit(99))
        assert alone.seq == 40 and groups == [1]


def test_a_failed_commit_answers_every_command_of_its_group(settings, monkeypatch):
    def disk_full(engine, slug, requests, now=None, memo=None):
        raise OSError("database or disk is full")

    with TestClient(create_app(settings)) as client:
        live = client.app.state.live
        monkeypatch.setattr(runtime, "execute_batch", disk_full)

        async def burst() -> list:
            return await asyncio.gather(
                *(live.run_command(*submit(i)) for i in range(5)), return_exceptions=True
            )

        assert all(isinstance(r, OSError) for r in client.portal.call(burst))
        monkeypatch.setattr(runtime, "execute_batch", execute_batch)
        assert client.portal.call(live.run_command, *submit(5)).seq == 1  # the writer goes on


def test_a_commit_whose_publishing_fails_is_still_answered(settings):
    with TestClient(create_app(settings)) as client:
        live = client.app.state.live

        def broken(commit):
            raise RuntimeError("a subscriber's bug")

        live.bus.subscribe(broken)
        outcome = client.portal.call(live.run_command, *submit(1))
        assert outcome.seq == 1  # answered, not left waiting
        assert client.portal.call(live.run_command, *submit(2)).seq == 2
