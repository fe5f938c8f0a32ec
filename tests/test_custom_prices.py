"""``pricing.custom.parse_sheet``: a user's own price sheet in CSV or YAML.

Good sheets become ``CustomPrice`` entries; bad ones raise ``InputError`` naming the file,
the line (CSV) or entry (YAML), and the column.
"""

from __future__ import annotations

from datetime import date

import pytest

from pricing.custom import CustomPrice, parse_sheet
from tokenomics.errors import InputError

HEADER = "provider,model,input_mtok,cache_read_mtok,output_mtok,source,checked_on\n"
DEEPSEEK = "deepseek,deepseek-chat,0.28,0.028,0.42,https://api-docs.deepseek.com/quick_start/pricing,2025-10-01\n"


def parse(text: str, name: str) -> list[CustomPrice]:
    return parse_sheet(text.encode("utf-8"), name)


def error(text: str | bytes, name: str) -> InputError:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with pytest.raises(InputError) as info:
        parse_sheet(data, name)
    return info.value


# --- good sheets --------------------------------------------------------------------------


def test_valid_csv():
    [entry] = parse(HEADER + DEEPSEEK, "prices.csv")
    assert entry.provider == "deepseek"
    assert entry.model == "deepseek-chat"
    assert entry.input_mtok == 0.28
    assert entry.cache_read_mtok == 0.028
    assert entry.output_mtok == 0.42
    assert entry.cache_write_mtok is None
    assert entry.output_reasoning_mtok is None
    assert entry.source == "https://api-docs.deepseek.com/quick_start/pricing"
    assert entry.checked_on == date(2025, 10, 1)
    assert entry.tiers == []


def test_valid_csv_with_bom_blank_lines_and_spaces():
    text = "\ufeff" + HEADER + "\n" + DEEPSEEK + " openai , gpt-x , 1.5 , , 6 , contract 42 , 2025-09-30 \n\n"
    entries = parse(text, "prices.csv")
    assert [(e.provider, e.model) for e in entries] == [("deepseek", "deepseek-chat"), ("openai", "gpt-x")]
    assert entries[1].input_mtok == 1.5
    assert entries[1].cache_read_mtok is None
    assert entries[1].source == "contract 42"


def test_csv_tier_rows_via_tier_start():
    """A second row for the same provider and model with a ``tier_start`` is a long-context tier."""
    text = (
        "provider,model,input_mtok,output_mtok,tier_start,source,checked_on\n"
        "google,gemini-x,1.25,10,,https://ai.google.dev/pricing,2025-06-01\n"
        "google,gemini-x,2.50,15,200000,https://ai.google.dev/pricing,2025-06-01\n"
    )
    [entry] = parse(text, "tiers.csv")
    assert entry.input_mtok == 1.25
    assert entry.output_mtok == 10.0
    assert len(entry.tiers) == 1
    tier = entry.tiers[0]
    assert tier.start == 200_000
    assert tier.input_mtok == 2.50
    assert tier.output_mtok == 15.0


def test_valid_yaml_with_tiers():
    text = """
prices:
  - provider: google
    model: gemini-x
    input_mtok: 1.25
    output_mtok: 10
    cache_read_mtok: 0.31
    source: https://ai.google.dev/pricing
    checked_on: 2025-06-01
    tiers:
      - start: 200000
        input_mtok: 2.5
        output_mtok: 15
  - provider: deepseek
    model: deepseek-chat
    input_mtok: 0.28
    output_mtok: 0.42
    source: https://api-docs.deepseek.com/quick_start/pricing
    checked_on: 2025-10-01
"""
    gemini, deepseek = parse(text, "prices.yaml")
    assert gemini.cache_read_mtok == 0.31
    assert [(t.start, t.input_mtok, t.output_mtok) for t in gemini.tiers] == [(200_000, 2.5, 15.0)]
    assert deepseek.checked_on == date(2025, 10, 1)
    assert deepseek.tiers == []


def test_yaml_bare_list_and_yml_extension():
    text = "- {provider: x, model: y, input_mtok: 1, output_mtok: 2, source: s, checked_on: 2025-01-01}\n"
    [entry] = parse(text, "prices.yml")
    assert (entry.provider, entry.input_mtok, entry.output_mtok) == ("x", 1.0, 2.0)


# --- bad sheets ---------------------------------------------------------------------------


def test_negative_price_names_line_and_column():
    text = HEADER + DEEPSEEK + "openai,gpt-x,-1,,2,https://openai.com/api/pricing,2025-10-02\n"
    err = error(text, "prices.csv")
    assert err.file == "prices.csv"
    assert err.line == 3
    assert err.column == "input_mtok"
    assert "line 3" in str(err)
    assert "'input_mtok'" in str(err)
    assert "greater than or equal to 0" in str(err)


def test_negative_price_in_a_tier_row_names_the_tier_row():
    """The bad value sits on line 3 (the tier row), not on line 2 (the base row)."""
    text = (
        "provider,model,input_mtok,output_mtok,tier_start,source,checked_on\n"
        "google,gemini-x,1.25,10,,s,2025-06-01\n"
        "google,gemini-x,-2.50,15,200000,s,2025-06-01\n"
    )
    err = error(text, "tiers.csv")
    assert err.line == 3
    assert "input_mtok" in (err.column or "")


def test_negative_price_in_yaml_names_the_entry_and_field():
    text = "- {provider: x, model: y, input_mtok: 1, output_mtok: 2, source: s, checked_on: 2025-01-01}\n"
    text += "- {provider: x, model: z, input_mtok: 1, output_mtok: -2, source: s, checked_on: 2025-01-01}\n"
    err = error(text, "prices.yaml")
    assert "entry 2" in str(err)
    assert err.column == "output_mtok"


@pytest.mark.parametrize("missing", ["source", "checked_on"])
def test_missing_provenance_field_is_named(missing):
    columns = ["provider", "model", "input_mtok", "output_mtok", "source", "checked_on"]
    values = ["deepseek", "deepseek-chat", "0.28", "0.42", "https://x", "2025-10-01"]
    keep = [i for i, c in enumerate(columns) if c != missing]
    text = ",".join(columns[i] for i in keep) + "\n" + ",".join(values[i] for i in keep) + "\n"
    err = error(text, "prices.csv")
    assert err.column == missing
    assert err.line == 2
    assert "required" in str(err)


@pytest.mark.parametrize("missing", ["source", "checked_on"])
def test_empty_provenance_value_is_an_error(missing):
    """Present in the header but blank on the row: still missing."""
    columns = ["provider", "model", "input_mtok", "output_mtok", "source", "checked_on"]
    values = ["deepseek", "deepseek-chat", "0.28", "0.42", "https://x", "2025-10-01"]
    values[columns.index(missing)] = ""
    err = error(",".join(columns) + "\n" + ",".join(values) + "\n", "prices.csv")
    assert err.column == missing


def test_missing_source_in_yaml():
    err = error("- {provider: x, model: y, input_mtok: 1, output_mtok: 2, checked_on: 2025-01-01}\n", "p.yaml")
    assert err.column == "source"


def test_unknown_column_is_an_error():
    text = HEADER.rstrip("\n") + ",colour\n" + DEEPSEEK.rstrip("\n") + ",red\n"
    err = error(text, "prices.csv")
    assert err.column == "colour"
    assert err.line == 2


def test_duplicate_header():
    err = error("provider,model,input_mtok,input_mtok,output_mtok,source,checked_on\n", "prices.csv")
    assert err.line == 1
    assert err.column == "input_mtok"
    assert "duplicate" in str(err)


def test_not_utf8():
    err = error(b"provider,model\n\xff\xfe,x\n", "prices.csv")
    assert "not UTF-8" in str(err)
    assert "offset 15" in str(err)
    assert err.file == "prices.csv"


@pytest.mark.parametrize("text", ["", "   \n\n"])
def test_empty_file(text):
    err = error(text, "prices.csv")
    assert "empty" in str(err)


def test_bad_date():
    err = error(HEADER + "deepseek,deepseek-chat,0.28,,0.42,https://x,yesterday\n", "prices.csv")
    assert err.column == "checked_on"
    assert err.found == "yesterday"


def test_not_a_finite_price():
    err = error(HEADER + "deepseek,deepseek-chat,nan,,0.42,https://x,2025-10-01\n", "prices.csv")
    assert err.column == "input_mtok"


def test_wrong_field_count():
    err = error(HEADER + "deepseek,deepseek-chat,0.28\n", "prices.csv")
    assert err.line == 2


def test_second_base_row_for_the_same_model():
    """Provider and model match case-insensitively; the error names both lines."""
    text = HEADER + DEEPSEEK + DEEPSEEK.replace("deepseek,deepseek-chat", "DeepSeek,DeepSeek-Chat")
    err = error(text, "prices.csv")
    assert err.line == 3
    assert "line 2" in str(err)


def test_tier_row_without_base_row():
    text = "provider,model,input_mtok,output_mtok,tier_start,source,checked_on\nx,y,2,4,200000,s,2025-01-01\n"
    err = error(text, "prices.csv")
    assert err.column == "tier_start"
    assert err.line == 2


def test_yaml_that_is_not_a_list():
    err = error("provider: deepseek\n", "prices.yaml")
    assert "list" in str(err)


def test_yaml_syntax_error_names_the_line():
    err = error("- provider: [deepseek\n", "prices.yaml")
    assert "not valid YAML" in str(err)
    assert err.line is not None
