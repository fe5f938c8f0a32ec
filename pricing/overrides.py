"""The "prices in use" sheet a user can edit, and the custom prices their edits become."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from pydantic import ValidationError

from pricing.custom import CustomPrice
from tokenomics.errors import InputError

EDITABLE = ["input_mtok", "cache_read_mtok", "cache_write_mtok", "output_mtok", "output_reasoning_mtok"]
SHEET_COLUMNS = ["models", "provider", "model", *EDITABLE, "tiered", "source", "as_of", "custom", "layer", "checked_on"]
EDIT_SOURCE = "edited in the dashboard"


USE_KEYS = ["label", "provider", "model", "provider_id", "model_id", "price_id"]


def prices_in_use(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """One row per provider/model the measurements use, with the price applied to its latest row.

    Unpriced models are listed too (empty prices) so a user can fill them in.
    """
    keys = rows[USE_KEYS].assign(provider=rows["provider"].fillna(""), _row=np.arange(len(rows)))
    uses = keys.groupby(USE_KEYS, sort=False, dropna=False, observed=True)["_row"].agg(["min", "max"])
    uses = uses.rename(columns={"min": "first_row", "max": "last_row"}).reset_index()
    return prices_in_use_of(uses, table)


def prices_in_use_of(uses: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``prices_in_use`` from the distinct uses of prices: ``USE_KEYS`` with the first and last row of each.

    A SQL engine hands these over instead of the rows (``engine.run``).
    """
    keyed = uses.sort_values("first_row", kind="stable").reset_index(drop=True)
    provider_id = keyed["provider_id"].astype(object).fillna("").astype(str)
    model_id = keyed["model_id"].astype(object).fillna("").astype(str)
    keyed = keyed.assign(
        _provider=np.where(provider_id != "", provider_id, keyed["provider"].astype(object).fillna("").astype(str)),
        _model=np.where(model_id != "", model_id, keyed["model"].astype(object).astype(str)),
    )
    unpriced_prefixed = (keyed["price_id"] < 0) & (keyed["_provider"] == "") & keyed["_model"].str.contains("/")
    split = keyed.loc[unpriced_prefixed, "_model"].str.split("/", n=1, expand=True)
    if not split.empty:
        keyed.loc[unpriced_prefixed, "_provider"] = split[0]
        keyed.loc[unpriced_prefixed, "_model"] = split[1]
    groups = keyed.groupby(["_provider", "_model"], sort=False)
    latest = keyed.loc[groups["last_row"].idxmax(), ["_provider", "_model", "price_id"]]
    sheet = groups.agg(models=("label", lambda s: ", ".join(pd.unique(s)))).reset_index()
    sheet = sheet.merge(latest, on=["_provider", "_model"], how="left")
    sheet = sheet.rename(columns={"_provider": "provider", "_model": "model"})
    priced = sheet["price_id"] >= 0
    picked = table.reindex(sheet["price_id"].where(priced, -1).to_numpy())
    picked.index = sheet.index
    for col in EDITABLE:
        sheet[col] = picked[col] if col in picked.columns else np.nan
    tier_cols = [c for c in table.columns if "__tier" in c]
    sheet["tiered"] = picked[tier_cols].notna().any(axis=1) if tier_cols else False
    sheet["source"] = picked["price_source"].where(priced, "unpriced")
    sheet["as_of"] = picked["price_as_of"].where(priced, "")
    sheet["custom"] = picked["custom"].where(priced, False).astype(bool)
    sheet["layer"] = picked["price_layer"].where(priced, "")
    sheet["checked_on"] = picked["checked_on"].where(priced, "")
    return sheet[SHEET_COLUMNS]


def edits_to_custom(original: pd.DataFrame, edited: pd.DataFrame, today: date) -> tuple[list[CustomPrice], list[str]]:
    """Rows whose prices the user changed, as custom prices; plus problems to show.

    A row needs an input and an output price to become a price; partial rows are reported.
    """
    prices: list[CustomPrice] = []
    problems: list[str] = []
    # Compared all at once: the page calls this on every rerun, and most reruns change no price.
    new_all = edited[EDITABLE].astype(float)
    old_all = original[EDITABLE].astype(float).reindex(edited.index)
    same_all = ((new_all == old_all) | (new_all.isna() & old_all.isna())).all(axis=1)
    for idx in edited.index[~same_all.to_numpy()]:
        new = new_all.loc[idx]
        name = f"{edited.at[idx, 'provider']!s}/{edited.at[idx, 'model']!s}"
        values = {k: (None if np.isnan(v) else float(v)) for k, v in new.items()}
        try:
            prices.append(
                CustomPrice(
                    provider=str(edited.at[idx, "provider"]) or "custom",
                    model=str(edited.at[idx, "model"]),
                    source=EDIT_SOURCE,
                    checked_on=today,
                    **values,
                )
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            problems.append(
                str(InputError(err["msg"].lower(), file="prices in use", column=".".join(map(str, err["loc"]))))
                + f" ({name})"
            )
    return prices, problems
