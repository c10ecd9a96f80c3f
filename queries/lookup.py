"""The reference tables' codes and names, for filter choices and for checking codes in URLs."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import literal, select, union_all

from queries._sql import opd_rollup, read_frame
from queries.schema import channel, opd, region, sector


def reference_codes(conn) -> pd.DataFrame:
    """One row per OPD, sector, channel and region: kind, code, name, id, eff_id, eff_name, current.

    For OPDs ``eff_id``/``eff_name`` are the unit a complaint is reported under (its successor when merged)
    and ``current`` is false for merged units; for the other kinds they repeat ``id``/``name``.
    """
    eff = opd_rollup(True)
    opds = select(
        literal("opd").label("kind"),
        opd.c.code,
        opd.c.short_name.label("name"),
        opd.c.id,
        eff.c.eff_id,
        eff.c.eff_short_name.label("eff_name"),
        opd.c.successor_id.is_(None).label("current"),
    ).select_from(opd.join(eff, eff.c.opd_id == opd.c.id))
    others = [
        select(
            literal(kind).label("kind"),
            t.c.code,
            t.c.name,
            t.c.id,
            t.c.id.label("eff_id"),
            t.c.name.label("eff_name"),
            literal(True).label("current"),
        )
        for kind, t in (("sector", sector), ("channel", channel), ("region", region))
    ]
    df = read_frame(conn, union_all(opds, *others))
    df["current"] = df["current"].astype(bool)
    return df.sort_values(["kind", "name", "code"], kind="stable").reset_index(drop=True)
