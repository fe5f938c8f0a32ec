"""LiteLLM's price map: the fourth price layer, for models genai-prices does not know.

LiteLLM (MIT) keeps ``model_prices_and_context_window.json``: USD per token for a few thousand
models, keyed ``provider/model`` or by a bare model id with a ``litellm_provider`` field. It has
first-party Qwen (``dashscope/*``) which genai-prices lacks. A snapshot ships in
``data/litellm/`` with the LiteLLM version it came from; it has no price history, so its
prices are "as of" the snapshot's date. ``refresh`` fetches the current file (opt-in network).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from inputs.bundled import data_file

RAW_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
# Per-token fields -> our price keys (USD per million tokens).
_FIELDS = {
    "input_cost_per_token": "input_mtok",
    "output_cost_per_token": "output_mtok",
    "cache_read_input_token_cost": "cache_read_mtok",
    "cache_creation_input_token_cost": "cache_write_mtok",
    "cache_creation_input_token_cost_above_1hr": "cache_write_1h_mtok",
    "output_cost_per_reasoning_token": "output_reasoning_mtok",
}
_ABOVE = re.compile(r"^(?P<field>[a-z_]+?)_above_(?P<k>\d+)k_tokens$")
_TEXT_MODES = {None, "chat", "completion", "responses"}
MAX_BYTES = 64 * 1024 * 1024

# LiteLLM provider names -> genai-prices provider ids, for LiteLLM-style ``provider/model`` references.
LITELLM_TO_GENAI_PRICES = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "gemini": "google",
    "vertex_ai": "google",
    "vertex_ai-language-models": "google",
    "deepseek": "deepseek",
    "mistral": "mistral",
    "groq": "groq",
    "xai": "x-ai",
    "openrouter": "openrouter",
    "together_ai": "together",
    "fireworks_ai": "fireworks",
    "bedrock": "aws",
    "bedrock_converse": "aws",
    "azure": "azure",
    "azure_ai": "azure",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "perplexity": "perplexity",
    "cerebras": "cerebras",
    "moonshot": "moonshotai",
    "zai": "zai",
    "minimax": "minimax",
    "novita": "novita",
    "databricks": "databricks",
    "cloudflare": "cloudflare",
    "baseten": "baseten",
    "ovhcloud": "ovhcloud",
    "github_copilot": "github-copilot",
    "voyage": "voyageai",
    "meta_llama": "meta",
}


@dataclass(frozen=True)
class LiteLLMSnapshot:
    prices: dict[str, dict[str, Any]]
    """Normalised key (lower case) -> our price record (price keys, ``tiers``, ``source``)."""
    by_provider_model: dict[tuple[str, str], str] = field(default_factory=dict)
    """(LiteLLM provider, model id without prefix), lower case -> key of ``prices``."""
    version: str = ""
    as_of: date | None = None
    """When the snapshot was published (bundled) or fetched (refreshed)."""
    refreshed: bool = False

    def label(self) -> str:
        when = f" of {self.as_of}" if self.as_of else ""
        return f"LiteLLM {self.version} price map{when}" + (" (refreshed)" if self.refreshed else "")

    def find(self, provider: str, model: str) -> tuple[str, dict[str, Any]] | None:
        """The entry for a model reference: a provider and its model, a ``provider/model`` key, or a bare id.

        A named provider (LiteLLM's name or genai-prices' id) restricts the match to that provider:
        a model hosted by Fireworks is never priced at DeepSeek's own price.
        """
        model_l, provider_l = model.lower(), provider.lower()
        if provider_l:
            names = {provider_l} | {n for n, g in LITELLM_TO_GENAI_PRICES.items() if g == provider_l}
            bare = model_l[len(provider_l) + 1 :] if model_l.startswith(provider_l + "/") else model_l
            for name in sorted(names):
                for key in (f"{name}/{bare}", bare):
                    entry = self.prices.get(key)
                    if entry is not None and entry.get("litellm_provider") == name:
                        return key, entry
                if hit := self.by_provider_model.get((name, bare)):
                    return hit, self.prices[hit]
            return None
        if model_l in self.prices:
            return model_l, self.prices[model_l]
        if "/" in model_l:
            prefix, rest = model_l.split("/", 1)
            if hit := self.by_provider_model.get((prefix, rest)):
                return hit, self.prices[hit]
        return None


def _per_million(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not 0 <= value < 1:  # USD per token: anything at or above $1 per token is not a token price
        return None
    return float(value) * 1e6


def price_record(entry: dict[str, Any]) -> dict[str, Any] | None:
    """Our price record for one LiteLLM entry, or None when it is not a text model with token prices."""
    if entry.get("mode") not in _TEXT_MODES:
        return None
    record: dict[str, Any] = {}
    for litellm_key, key in _FIELDS.items():
        value = _per_million(entry.get(litellm_key))
        # A zero cache-write price in LiteLLM means "not priced apart" (DeepSeek): bill as input.
        if value is not None and not (key == "cache_write_mtok" and value == 0):
            record[key] = value
    tiers: dict[int, dict[str, float]] = {}
    for litellm_key, raw in entry.items():
        match = _ABOVE.match(litellm_key)
        if match and match["field"] in _FIELDS and (value := _per_million(raw)) is not None:
            tiers.setdefault(int(match["k"]) * 1000, {})[_FIELDS[match["field"]]] = value
    for band in entry.get("tiered_pricing") or []:
        if not isinstance(band, dict):
            continue
        start = (band.get("range") or [0])[0]
        prices = {_FIELDS[k]: v for k, raw in band.items() if k in _FIELDS and (v := _per_million(raw)) is not None}
        if not isinstance(start, int | float) or not prices:
            continue
        if start <= 0:
            record.update({k: v for k, v in prices.items() if k not in record})
        else:
            tiers.setdefault(int(start), {}).update(prices)
    if "input_mtok" not in record or "output_mtok" not in record:
        return None
    record["tiers"] = [{"start": start, **prices} for start, prices in sorted(tiers.items())]
    source = entry.get("source")
    record["source"] = source if isinstance(source, str) and source.startswith("http") else ""
    return record


def build(raw: dict[str, Any], version: str, as_of: date | None, *, refreshed: bool = False) -> LiteLLMSnapshot:
    prices: dict[str, dict[str, Any]] = {}
    by_provider_model: dict[tuple[str, str], str] = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict) or key == "sample_spec":
            continue
        record = price_record(entry)
        if record is None:
            continue
        key_l = key.lower()
        provider = str(entry.get("litellm_provider") or "").lower()
        record["litellm_provider"] = provider
        prices[key_l] = record
        bare = key_l.split("/", 1)[1] if key_l.startswith(provider + "/") else key_l
        by_provider_model.setdefault((provider, bare), key_l)
    return LiteLLMSnapshot(prices, by_provider_model, version, as_of, refreshed)


def _metadata() -> dict[str, str]:
    meta: dict[str, str] = json.loads(data_file("litellm", "snapshot.json").read_text(encoding="utf-8"))
    return meta


_BUNDLED: LiteLLMSnapshot | None = None


def bundled() -> LiteLLMSnapshot:
    """The snapshot shipped in ``data/litellm/`` (read once per process)."""
    global _BUNDLED
    if _BUNDLED is None:
        meta = _metadata()
        path: Path = data_file("litellm", "model_prices_and_context_window.json.gz")
        raw = json.loads(gzip.decompress(path.read_bytes()))
        _BUNDLED = build(raw, meta["litellm_version"], date.fromisoformat(meta["published"]))
    return _BUNDLED


def refresh(client: httpx.Client | None = None, today: date | None = None) -> LiteLLMSnapshot:
    """Fetch LiteLLM's current price map (network; opt-in). Raises ``httpx.HTTPError`` or ``ValueError``."""
    owned = client is None
    client = client or httpx.Client(timeout=30, follow_redirects=True)
    try:
        response = client.get(RAW_URL)
        response.raise_for_status()
        if len(response.content) > MAX_BYTES:
            raise ValueError(f"the price map is larger than {MAX_BYTES // 2**20} MiB")
        raw = response.json()
    finally:
        if owned:
            client.close()
    if not isinstance(raw, dict) or not raw:
        raise ValueError("the fetched price map is not a JSON object of models")
    return build(raw, "main", today or date.today(), refreshed=True)
