"""Smoke render of every figure: ``sianode gallery DIR`` writes them all and an index page."""

from __future__ import annotations

import json
import re

from PIL import Image

from sianode.cli.main import main
from sianode.plots.gallery import SECTIONS


def test_gallery_writes_every_figure_and_an_index(capsys, tmp_path):
    assert main(["gallery", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["skipped"] == []
    files = out["files"]
    assert len(files) == len(set(files)) >= 26
    sections = {f.split("_")[0] for f in files}
    assert sections >= {"thermo", "screen", "explorer.html", "simulate", "fields", "cell",
                        "design", "cycling", "eis", "xrd", "kinetics"}
    assert len(SECTIONS) == 11
    assert {"design_wh_kg.png", "design_plated_share.png", "design_thickness.png"} <= set(files)
    index = (tmp_path / "index.html").read_text()
    linked = set(re.findall(r"(?:src|href)='([^']+)'", index))
    assert linked == set(files)
    # the explorer: linked from the top of the page and shown in a frame
    assert index.index("href='explorer.html'") < index.index("<h2>")
    assert "<iframe src='explorer.html'>" in index
    page = (tmp_path / "explorer.html").read_text()
    assert "sianode explorer: built-in screen" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=['\"]?https?:", page)  # offline
    for f in files:
        p = tmp_path / f
        assert p.stat().st_size > 5_000, f
        if f.endswith(".png"):
            with Image.open(p) as im:
                w, h = im.size
                assert round(im.info["dpi"][0]) == 300, f
            assert w in (1050, 2100), (f, w)  # 3.5 or 7 in at 300 dpi
            assert 300 < h < 2400, (f, h)
    assert "plotly" in (tmp_path / "screen_map.html").read_text()[:300_000].lower()
