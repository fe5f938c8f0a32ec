"""Which provider's price a model reference means, and a sentence saying so when it was a choice.

Measurements name models the way their tools do: a bare id (``glm-4.7``), a provider column,
or a LiteLLM-style prefix (``fireworks_ai/accounts/fireworks/models/qwq-32b``,
``dashscope/qwen-plus``). The rule, in order:

1. A ``provider`` column is used as given (a LiteLLM provider name is mapped to genai-prices').
2. A prefix that names a provider (genai-prices' id or LiteLLM's name) is that provider.
3. A bare id goes to the model maker's own API (the first party, below) when it lists the model;
   when genai-prices would have picked another provider or market, a note says which and why.
   Otherwise genai-prices' own provider matching decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from genai_prices import types as gp
from genai_prices.data_snapshot import DataSnapshot

from pricing.litellm_map import LITELLM_TO_GENAI_PRICES, LiteLLMSnapshot

# Model family -> the maker's own API in genai-prices. Z.ai is Zhipu's international platform
# (zhipuai is the China-market BigModel platform, priced in CNY-derived dollars): a buyer outside
# China pays Z.ai's price, so a bare GLM id resolves there.
FIRST_PARTY: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^glm"), "zai", "Z.ai, Zhipu's international platform"),
    (re.compile(r"^deepseek"), "deepseek", "DeepSeek"),
    (re.compile(r"^(kimi|moonshot)"), "moonshotai", "Moonshot AI"),
    (re.compile(r"^minimax"), "minimax", "MiniMax"),
    (re.compile(r"^claude"), "anthropic", "Anthropic"),
    (re.compile(r"^(gpt-(?!oss)|o\d|chatgpt|codex)"), "openai", "OpenAI"),
    (re.compile(r"^(gemini|gemma)"), "google", "Google"),
    (re.compile(r"^grok"), "x-ai", "xAI"),
    (re.compile(r"^(mistral|magistral|codestral|devstral|ministral|pixtral)"), "mistral", "Mistral"),
    (re.compile(r"^command"), "cohere", "Cohere"),
)
# Bare Qwen ids have no first party in genai-prices: Alibaba's own API is LiteLLM's ``dashscope``.
LITELLM_FIRST_PARTY: tuple[tuple[re.Pattern[str], str], ...] = ((re.compile(r"^(qwen|qwq)"), "dashscope"),)


@dataclass
class Identity:
    """What a (provider, model) reference resolves to in each price source."""

    provider: str
    model: str
    genai: tuple[gp.Provider, gp.ModelInfo] | None = None
    litellm_key: str | None = None
    litellm_provider: str = ""
    keys: set[tuple[str, str]] = field(default_factory=set)
    """Lower-case (provider, model) pairs that custom sheets and corrections may use for it."""
    note: str = ""
    """Said when resolving was a choice (several providers or markets list the model)."""
    reason: str = ""
    """Why genai-prices has no price (empty when it has one)."""

    @property
    def provider_id(self) -> str:
        if self.genai:
            return self.genai[0].id
        return self.litellm_provider or self.provider

    @property
    def model_id(self) -> str:
        if self.genai:
            return self.genai[1].id
        if self.litellm_key:
            return self.litellm_key.split("/", 1)[1] if "/" in self.litellm_key else self.litellm_key
        return self.model


def _find(snapshot: DataSnapshot, provider_id: str | None, ref: str) -> tuple[gp.Provider, gp.ModelInfo] | str:
    try:
        return snapshot.find_provider_model(ref, None, provider_id, None)
    except LookupError as exc:
        return str(exc)


def _provider_ids(snapshot: DataSnapshot) -> set[str]:
    return {p.id for p in snapshot.providers}


def _genai_provider(name: str, known: set[str]) -> str | None:
    name = name.lower()
    if name in known:
        return name
    mapped = LITELLM_TO_GENAI_PRICES.get(name)
    return mapped if mapped in known else None


def _first_party(snapshot: DataSnapshot, ref: str) -> tuple[tuple[gp.Provider, gp.ModelInfo], str] | None:
    for pattern, provider_id, who in FIRST_PARTY:
        if pattern.match(ref):
            found = _find(snapshot, provider_id, ref)
            if isinstance(found, tuple):
                return found, who
            return None
    return None


def resolve(snapshot: DataSnapshot, litellm: LiteLLMSnapshot | None, provider: str, model: str) -> Identity:
    """Resolve one model reference against genai-prices and LiteLLM; see the module docstring."""
    provider_l, model_l = provider.strip().lower(), model.strip().lower()
    ident = Identity(provider=provider, model=model)
    known = _provider_ids(snapshot)
    tries: list[tuple[str | None, str]] = []
    reason = "no match"
    if provider_l:
        named = _genai_provider(provider_l, known) or provider_l
        tries.append((named, model_l))
        if model_l.startswith(provider_l + "/"):
            tries.append((named, model_l[len(provider_l) + 1 :]))
    elif "/" in model_l:
        prefix, rest = model_l.split("/", 1)
        prefixed = _genai_provider(prefix, known)
        if prefixed:
            tries.append((prefixed, rest))
            if "/" in rest:  # fireworks_ai/accounts/fireworks/models/<id>
                tries.append((prefixed, rest.rsplit("/", 1)[1]))
        tries.append(("litellm", model_l))
        tries.append((None, model_l))
    else:
        chosen = _first_party(snapshot, model_l)
        default = _find(snapshot, None, model_l)
        if chosen is not None:
            ident.genai = chosen[0]
            if isinstance(default, tuple) and default[0].id != chosen[0][0].id:
                ident.note = (
                    f"bare '{model}' priced at {chosen[0][0].id} ({chosen[1]}, the first party); "
                    f"{default[0].id} also lists it: set the provider column to choose"
                )
        elif isinstance(default, tuple):
            ident.genai = default
        else:
            reason = default
    for provider_id, ref in tries:
        if ident.genai:
            break
        found = _find(snapshot, provider_id, ref)
        if isinstance(found, tuple):
            ident.genai = found
        else:
            reason = found
    if litellm is not None:
        hit = litellm.find(provider_l, model_l)
        if hit is None and not provider_l and "/" not in model_l:
            for pattern, litellm_provider in LITELLM_FIRST_PARTY:
                if pattern.match(model_l):
                    hit = litellm.find(litellm_provider, model_l)
        if hit is not None:
            ident.litellm_key, entry = hit
            ident.litellm_provider = str(entry.get("litellm_provider") or "")
    ident.reason = "" if ident.genai else reason
    ident.keys = _keys(ident, provider_l, model_l)
    return ident


def provider_choices(snapshot: DataSnapshot, model: str) -> list[str]:
    """genai-prices providers that list a bare model id (a reseller or another market may be among them)."""
    ref = model.strip().lower()
    return [p.id for p in snapshot.providers if p.find_model(ref, all_providers=snapshot.providers) is not None]


def _keys(ident: Identity, provider_l: str, model_l: str) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    if provider_l:
        keys.add((provider_l, model_l))
        if model_l.startswith(provider_l + "/"):
            keys.add((provider_l, model_l[len(provider_l) + 1 :]))
    elif "/" in model_l:
        prefix, rest = model_l.split("/", 1)
        keys.add((prefix, rest))
    if ident.genai:
        keys.add((ident.genai[0].id.lower(), ident.genai[1].id.lower()))
        keys.add((ident.genai[0].id.lower(), model_l.split("/")[-1]))
        keys.add((ident.genai[0].id.lower(), model_l))
    if ident.litellm_key:
        keys.add((ident.litellm_provider, ident.model_id.lower()))
    if not provider_l and "/" not in model_l:
        keys.add(("", model_l))
    return keys
