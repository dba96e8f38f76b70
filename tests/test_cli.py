"""The command line as a user runs it: real processes, real stores, exit codes and messages."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from httpserver import LocalServer

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "tests" / "fixtures" / "html"
SITREP = [sys.executable, "-m", "sitrep.cli"]


@pytest.fixture
def env(tmp_path: Path, small_gazetteer: Path) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    values.update(
        SITREP_DATA_DIR=str(tmp_path / "data"),
        SITREP_ALLOW_NETWORKS="127.0.0.1",
        SITREP_HOST_DELAY="0",
        SITREP_RETRIES="0",
        SITREP_MIN_WORDS="20",
        SITREP_GAZETTEER_PATH=str(small_gazetteer),
        COLUMNS="200",
    )
    return values


def run(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*SITREP, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def test_ingest_prints_a_summary_and_is_idempotent(env: dict[str, str]) -> None:
    first = run(env, "ingest", str(HTML))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "stored: 2" in first.stdout
    assert "skipped: 1" in first.stdout and "no-article.html" in first.stdout
    second = run(env, "ingest", str(HTML))
    assert "stored: 0" in second.stdout and "duplicate: 2 (2 already stored)" in second.stdout


def test_failures_make_a_nonzero_exit_and_name_the_input(
    env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "blob.html").write_bytes(b"\x00\x01\x02" * 1000)
    result = run(
        env,
        "ingest",
        str(HTML / "wire-saraqib.html"),
        str(tmp_path / "blob.html"),
        str(tmp_path / "missing.txt"),
    )
    assert result.returncode == 1
    assert "stored: 1" in result.stdout and "failed: 2" in result.stdout
    assert f"{tmp_path / 'blob.html'}: [E104]" in result.stdout
    assert f"{tmp_path / 'missing.txt'}: [E101]" in result.stdout
    listed = run(env, "issues")
    assert "E104" in listed.stdout and "E101" in listed.stdout


def test_extract_json_has_exactly_the_documented_keys(env: dict[str, str]) -> None:
    result = run(env, "extract", str(HTML / "undated-ariha.html"), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == [
        "title",
        "subtitle",
        "byline",
        "published",
        "published_inferred",
        "site",
        "url",
        "language",
        "captions",
        "paragraphs",
        "removed",
    ]
    assert data["published"] == "2020-01-29" and data["published_inferred"] is True
    assert not (Path(env["SITREP_DATA_DIR"]) / "sitrep.db").exists()  # nothing stored


def test_reading_commands(env: dict[str, str]) -> None:
    run(env, "ingest", str(HTML))
    listing = run(env, "articles", "list")
    assert "Government troops push into Saraqib" in listing.stdout
    shown = run(env, "articles", "show", "1", "--removed")
    assert shown.returncode == 0 and "removed:" in shown.stdout
    found = run(env, "search", "Saraqib highway")
    assert found.returncode == 0 and "Government troops push into Saraqib" in found.stdout
    info = run(env, "info")
    assert str(Path(env["SITREP_DATA_DIR"]) / "sitrep.db") in info.stdout
    assert "2 articles" in info.stdout


def test_user_errors_are_one_line_messages(env: dict[str, str]) -> None:
    missing = run(env, "articles", "show", "999")
    assert missing.returncode == 2 and "[E303] no article with id 999" in missing.stderr
    bad_setting = run({**env, "SITREP_PORT": "eighty"}, "info")
    assert bad_setting.returncode == 2 and "[E001]" in bad_setting.stderr
    bad_interval = run(env, "feeds", "add", "https://example.org/rss", "--interval", "soon")
    assert bad_interval.returncode == 2 and "[E109]" in bad_interval.stderr
    bad_store = run({**env, "SITREP_DATABASE_URL": "mysql://x@y/z"}, "info")
    assert bad_store.returncode == 2 and "[E301]" in bad_store.stderr


def test_feeds_and_watch_stop_cleanly(env: dict[str, str], http_server: LocalServer) -> None:
    added = run(env, "feeds", "add", http_server.url("/feed.xml"), "--interval", "15m")
    assert added.returncode == 0 and "every 15m" in added.stdout
    watcher = subprocess.Popen(
        [*SITREP, "watch"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(lambda: "3 articles" in run(env, "info").stdout, seconds=30)
    finally:
        watcher.send_signal(signal.SIGINT)
        out, err = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, err
    assert "stopped" in err and "Traceback" not in err
    assert "3 stored" in out
    # The watcher coded and fused what it polled: nothing is left for `process`.
    left = run(env, "process")
    assert left.returncode == 0 and "coded: 0 article(s)" in left.stdout, left.stdout


def test_gazetteer_update_and_info(
    env: dict[str, str], http_server: LocalServer, tmp_path: Path
) -> None:
    from geonames_site import dump_site
    from sitrep.geo.gazetteer import build_index

    index = tmp_path / "gazetteer.sqlite"
    build_index(index, {"SY"})  # Syria only: the update's rebuild stays quick
    env = {
        **env,
        "SITREP_GAZETTEER_PATH": str(index),
        "SITREP_GEONAMES_URL": http_server.url("/geonames/"),
    }
    before = run(env, "gazetteer", "info")
    assert before.returncode == 0, before.stderr
    assert f"path: {index}" in before.stdout and "countries: SY" in before.stdout
    assert "dumps: none" in before.stdout and "CC BY 4.0" in before.stdout
    with http_server.mount("geonames", dump_site(tmp_path / "site")):
        update = run(env, "gazetteer", "update", "--countries", "SY")
        again = run(env, "gazetteer", "update")
        unknown = run(env, "gazetteer", "update", "--countries", "SY,QQ")
    assert update.returncode == 0, update.stderr
    assert "SY.zip: downloaded" in update.stdout
    assert "merged SY: 7 place(s) added, 2 updated" in update.stdout
    assert "rebuilt" in update.stdout and "Contains data from GeoNames" in update.stdout
    assert again.returncode == 0 and "SY.zip: not modified" in again.stdout
    assert "is up to date" in again.stdout
    assert unknown.returncode == 2 and "[E601]" in unknown.stderr and "QQ" in unknown.stderr
    after = run(env, "gazetteer", "info")
    assert "dumps: SY.zip (" in after.stdout


def test_serve_lists_articles_and_answers_the_api(env: dict[str, str], free_port: int) -> None:
    run(env, "ingest", str(HTML))
    server = subprocess.Popen(
        [*SITREP, "serve", "--port", str(free_port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{free_port}"
    try:
        _wait_for(lambda: _up(base), seconds=30)
        page = httpx.get(base + "/articles")
        assert page.status_code == 200 and "Government troops push into Saraqib" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        health = httpx.get(base + "/api/v1/health").json()
        assert health["status"] == "ok" and health["articles"] == 2
        missing = httpx.get(base + "/api/v1/articles/999")
        assert missing.status_code == 404
        assert missing.json() == {
            "error": {"code": "E303", "message": "no article with id 999", "detail": None}
        }
        hits = httpx.get(base + "/api/v1/search", params={"q": "Ariha"}).json()["items"]
        assert [h["title"] for h in hits] == ["Air strikes hit market district in Ariha"]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def test_demo_loads_the_bundled_corpus(env: dict[str, str]) -> None:
    result = run(env, "demo", "--no-serve", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    stored = int(result.stdout.split("stored: ")[1].split()[0])
    duplicates = int(result.stdout.split("duplicate: ")[1].split()[0])
    assert stored >= 25 and duplicates >= 3
    assert "failed: 0" in result.stdout
    fused = int(result.stdout.split("fused: ")[1].split(" into ")[1].split()[0])
    assert fused > 0
    again = run(env, "demo", "--no-serve", timeout=300)
    assert "stored: 0" in again.stdout
    assert "fused: 0 mention(s)" in again.stdout and f"into {fused} event(s)" in again.stdout


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _up(base: str) -> bool:
    try:
        return httpx.get(base + "/api/v1/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _wait_for(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_analyze_classify_and_process(env: dict[str, str]) -> None:
    golden = ROOT / "tests" / "fixtures" / "golden" / "idlib-iran-analysis.txt"
    analyzed = run(env, "analyze", str(golden), "--format", "json")
    assert analyzed.returncode == 0, analyzed.stderr
    data = json.loads(analyzed.stdout)
    assert set(data) == {"article", "events"}
    assert data["article"]["title"] == "Why Iran-backed militias joined the Idlib offensive"
    assert "Government regains territory" in {e["sub_event_type"] for e in data["events"]}
    lines = [
        {"id": 1, "text": "Warplanes struck a crowded market in Ariha, killing nine people."},
        {"id": "b", "text": "The weather was mild and the shops were open."},
    ]
    classified = subprocess.run(
        [*SITREP, "classify", "--jsonl"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        input="\n".join(json.dumps(line) for line in lines) + "\n",
        timeout=120,
    )
    assert classified.returncode == 0, classified.stderr
    first, second = (json.loads(line) for line in classified.stdout.splitlines())
    assert first["id"] == 1 and first["sub_event_type"] == "Air/drone strike"
    assert set(first) == {"id", "event_type", "sub_event_type", "confidence"}
    assert second == {"id": "b", "event_type": None, "sub_event_type": None, "confidence": 0.0}
    run(env, "ingest", str(HTML), str(golden))
    processed = run(env, "process")
    assert processed.returncode == 0, processed.stderr
    assert "coded: 3 article(s)" in processed.stdout
    again = run(env, "process")
    assert "coded: 0 article(s)" in again.stdout


def _geoparse(env: dict[str, str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [*SITREP, "geoparse", "--jsonl"], env=env, capture_output=True, input=data,
        timeout=120, check=False,
    )  # fmt: off
    assert b"Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def test_geoparse(env: dict[str, str]) -> None:
    text = "Shelling near Saraqib and in Idlib province."
    records = [
        {"id": "given", "text": text, "toponyms": [{"start": 14, "end": 21}]},
        {"id": "found", "text": text},
    ]
    result = _geoparse(env, "\n".join(json.dumps(r) for r in records).encode() + b"\n")
    assert result.returncode == 0, result.stderr
    given, found = (json.loads(line) for line in result.stdout.splitlines())
    assert [(p["text"], p["geonames_id"]) for p in given["places"]] == [("Saraqib", 164816)]
    assert [p["text"] for p in found["places"]] == ["Saraqib", "Idlib"]
    assert found["places"][1]["feature_class"] == "A"  # the province, not the city
    bad_offsets = _geoparse(
        env, b'{"id": 1, "text": "Idlib", "toponyms": [{"start": 0, "end": 9}]}\n'
    )
    assert bad_offsets.returncode == 2 and b"stdin:1" in bad_offsets.stderr
    not_json = _geoparse(env, json.dumps(records[0]).encode() + b"\n{oops\n")
    assert not_json.returncode == 2 and b"stdin:2" in not_json.stderr
    assert not_json.stdout == b""  # nothing is written when any line is bad
    latin1 = _geoparse(env, '{"id": 1, "text": "Alep\xe9"}\n'.encode("latin-1"))
    assert latin1.returncode == 2 and b"not UTF-8" in latin1.stderr


def test_fuse_and_list_events(env: dict[str, str]) -> None:
    fusion = ROOT / "tests" / "fixtures" / "fusion"
    assert run(env, "ingest", str(fusion)).returncode == 0
    processed = run(env, "process")
    assert processed.returncode == 0, processed.stderr
    assert "fused:" in processed.stdout
    listed = run(env, "events", "list", "--json", "--sub-type", "Shelling/artillery/missile attack")
    assert listed.returncode == 0, listed.stderr
    events = [json.loads(line) for line in listed.stdout.splitlines()]
    kafr_nabl = [e for e in events if (e.get("location") or {}).get("text") == "Kafr Nabl"]
    assert len(kafr_nabl) == 1 and kafr_nabl[0]["disputed"] is True
    shown = run(env, "events", "show", str(kafr_nabl[0]["id"]))
    assert shown.returncode == 0 and '"history"' in shown.stdout
    assert run(env, "fuse", "--check").returncode == 0
    table = run(env, "events", "list", "--disputed")
    assert "Kafr Nabl" in table.stdout
    bad = run(env, "events", "list", "--bbox", "40,30,36,37")
    assert bad.returncode == 2 and "--bbox" in bad.stderr
    missing = run(env, "events", "show", "9999")
    assert missing.returncode == 2 and "E110" in missing.stderr
    event_id = str(kafr_nabl[0]["id"])
    pinned = run(env, "events", "pin", event_id, "fatalities", '{"value": 14, "range": [12, 20]}')
    assert pinned.returncode == 0, pinned.stderr
    again = json.loads(run(env, "events", "show", event_id).stdout)
    assert again["fatalities"] == {"value": 14, "range": [12, 20]}
    refused = run(env, "events", "pin", event_id, "evidence", "x")
    assert refused.returncode == 2 and "cannot be pinned" in refused.stderr
    csv_out = run(
        env, "export", "--format", "csv", "--sub-type", "Shelling/artillery/missile attack"
    )
    assert csv_out.returncode == 0, csv_out.stderr
    header, *rows = csv_out.stdout.splitlines()
    assert header.startswith("event_id_cnty,event_date,year,time_precision,disorder_type")
    assert any("Kafr Nabl" in row and "3 February 2020" in row for row in rows)
    geojson = json.loads(run(env, "export", "--format", "geojson").stdout)
    assert geojson["type"] == "FeatureCollection" and geojson["features"]
    unknown = run(env, "export", "--format", "xlsx")
    assert unknown.returncode == 2 and "E111" in unknown.stderr


def test_classify_names_bad_lines(env: dict[str, str]) -> None:
    for data, problem in (
        (b'{"id": 1, "text": "Al\xe9"}\n', b"stdin:1: not UTF-8"),
        (b'{"id": 1, "text": "Shelling"}\n{"id": 2}\n', b'stdin:2: a record needs a "text"'),
        (b"[1, 2]\n", b"stdin:1: a record must be a JSON object"),
    ):
        result = subprocess.run(
            [*SITREP, "classify", "--jsonl"],
            env=env,
            input=data,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2 and problem in result.stderr, result.stderr
        assert b"Traceback" not in result.stderr and result.stdout == b""
