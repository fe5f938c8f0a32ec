"""Pages under hostile input: markdown from data is shown as text, an unexpected exception becomes a
short message with a reference (no traceback, no server path), and shared-server mode closes the
Measure page's free paths and key variables (issue 10, findings 1 and 5)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
from fakeserver import Config, FakeServer

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
LINK = "[sign in again](https://evil.example/login) ![x](https://evil.example/pixel.png)"


def shown(at: AppTest) -> list[str]:
    elements = [*at.title, *at.subheader, *at.markdown, *at.caption, *at.error, *at.warning, *at.success, *at.info]
    return [str(e.value) for e in elements]


def open_app(page: str | None = None, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def assert_no_live_markdown(texts: list[str]) -> None:
    for text in texts:
        assert "](" not in text.replace("\\](", ""), text  # no link or image survives unescaped
        assert "https://evil" not in text, text  # the URL's colon is escaped: no autolink either


def test_markdown_in_an_upload_name_and_content_is_shown_as_text() -> None:
    at = open_app("app_pages/compare.py")
    at.radio(key="source").set_value("My upload").run()
    bad = f"model,task_id,success\n{LINK},t1,maybe\n".encode()
    at.file_uploader(key="upload").set_value([(f"{LINK}.csv", bad, "text/csv")]).run()
    assert not at.exception
    assert at.error and "Could not read the upload" in at.error[0].value
    assert_no_live_markdown(shown(at))


def test_markdown_in_a_share_link_is_shown_as_text() -> None:
    scenario = {"cascade": [LINK, "www.evil.example"]}
    at = open_app("app_pages/whatif.py", {"scenario": json.dumps(scenario)})
    assert not at.exception
    assert at.warning and "dropped" in at.warning[0].value
    assert_no_live_markdown(shown(at))
    assert "www.evil" not in at.warning[0].value  # GFM would link a bare www. address


def test_an_unexpected_exception_shows_a_reference_not_a_traceback(monkeypatch, caplog) -> None:
    import ui.data

    def broken(*args, **kwargs):
        raise RuntimeError("boom at /srv/secret/path.py")

    st.cache_data.clear()
    monkeypatch.setattr(ui.data, "compare_measurements", broken)
    at = open_app("app_pages/compare.py")
    st.cache_data.clear()
    assert not at.exception
    [error] = at.error
    assert "Something went wrong on this page (reference " in error.value
    assert all("/srv/secret" not in text and "Traceback" not in text for text in shown(at))
    assert "/srv/secret" in caplog.text  # the details are in the server's log


@pytest.fixture
def shared(monkeypatch, tmp_path: Path):
    with FakeServer(Config(delay_s=0.01)) as server:
        monkeypatch.setenv("TOKENOMICS_SHARED", "1")
        monkeypatch.setenv("TOKENOMICS_KEY_VARIABLES", f"TOKENOMICS_SHARED_KEY={server.base_url}")
        monkeypatch.setenv("TOKENOMICS_SHARED_KEY", "sk-server-owned-KEY")
        monkeypatch.setenv("TOKENOMICS_STORE_DIR", str(tmp_path / "stores"))
        yield server


def test_shared_mode_offers_only_configured_key_variables_and_no_paths(shared: FakeServer, tmp_path: Path) -> None:
    at = open_app("app_pages/measure.py")
    assert not at.exception
    assert at.selectbox(key="m_key_env").options == ["TOKENOMICS_SHARED_KEY (for " + shared.base_url + ")"]
    assert at.selectbox(key="m_tasks").options == ["arithmetic_reasoning.jsonl"]  # no free path to a task file
    assert not [t for t in at.text_input if t.key in ("m_tasks", "m_key_env")]

    at.text_input(key="m_base_url").set_value("http://127.0.0.1:9/v1")
    at.text_input(key="m_model").set_value("m")
    at.button(key="m_start").click().run()
    assert "TOKENOMICS\\_SHARED\\_KEY is sent only to" in at.error[0].value  # the server's key stays home
    assert shared.requests == 0

    at.text_input(key="m_base_url").set_value(shared.base_url)
    for path in ("../escape.sqlite", str(tmp_path / "abs.sqlite"), "sub/dir.sqlite"):
        at.text_input(key="m_store").set_value(path)
        at.button(key="m_start").click().run()
        assert "a store is a file name on this shared server" in at.error[0].value, path
    assert not (tmp_path / "abs.sqlite").exists() and not (tmp_path / "escape.sqlite").exists()

    at.text_input(key="m_store").set_value("mine.sqlite")
    at.button(key="m_start").click().run()
    job = at.session_state["measure_job"]
    job.wait(30)
    assert job.error is None
    assert (tmp_path / "stores" / "mine.sqlite").is_file()
    assert shared.auth_headers == {"Bearer sk-server-owned-KEY"}


def test_shared_mode_compare_store_box_takes_names_only(shared: FakeServer) -> None:
    at = open_app("app_pages/compare.py")
    at.text_input(key="store_path").set_value("/etc/passwd").run()
    assert not at.exception
    assert "a store is a file name on this shared server" in at.error[0].value
