"""AppTest of the Compare page's upload of files in the import formats: detected, converted, said so."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
FIXTURES = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/compare.py").run()  # the app opens on Findings
    at.radio(key="source").set_value("My upload")
    return at


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="upload").set_value([(name, data, "application/octet-stream") for name, data in files])
    return at.run()


def fixture(name: str) -> tuple[str, bytes]:
    return name, (FIXTURES / name).read_bytes()


def captions(at: AppTest) -> str:
    """The page's captions as read (uploaded names and notes are shown as literal text, escaped)."""
    return "\n".join(c.value for c in at.caption).replace("\\", "")


def table(at: AppTest):
    """Every compared model: the ranked ones, then those with neither a price nor a published cost (listed apart)."""
    ranked = next(d.value for d in at.dataframe if "cost_per_success" in d.value.columns)
    apart = [d.value for d in at.dataframe if "price_source" in d.value.columns and "cost_per_success" not in d.value]
    return pd.concat([ranked, *apart], ignore_index=True)


def test_eee_samples_are_detected_and_compared(app: AppTest) -> None:
    at = upload(app, fixture("eee_samples.jsonl"))
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "eee_samples.jsonl: detected Every Eval Ever instance-level file; converted to 3 attempts on 3 tasks" in (
        captions(at)
    )
    assert list(table(at)["attempts"]) == [3]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the attempts (Every Eval Ever JSONL)" in labels


def test_swebench_upload_carries_its_licence_note(app: AppTest) -> None:
    at = upload(app, fixture("swe-bench-leaderboards.json"))
    assert not at.exception and not at.error
    assert "CC BY-NC 4.0" in captions(at)
    assert list(table(at)["model"]) == ["Example Model A (2026-01-01)"]


def test_harbor_job_archive(app: AppTest) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(FIXTURES / "harbor" / "jobs", arcname="jobs")
    at = upload(app, ("job.tar.gz", buffer.getvalue()))
    assert not at.exception and not at.error
    assert "detected Harbor job results; converted to 3 attempts on 2 tasks" in captions(at)
    assert "1 failed request(s) left out" in captions(at)


def test_log_without_success_needs_a_results_file(app: AppTest) -> None:
    at = upload(app, fixture("litellm_spendlogs.jsonl"))
    assert not at.exception
    assert "this is LiteLLM spend logs, which do not say whether a task was solved" in at.error[0].value
    results = ("results.csv", b"task_id,success\ntask-01,true\ntask-02,false\ntask-03,true\n")
    at = upload(at, fixture("litellm_spendlogs.jsonl"), results)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list(table(at)["attempts"]) == [2]


def test_aggregate_eee_file_is_refused_in_one_message(app: AppTest) -> None:
    at = upload(app, fixture("eee_aggregate.json"))
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert "this looks like an EEE aggregate file (EvaluationLog), not instance-level" in message
