"""Server-rendered SVG charts (no script, no external CDN): each candidate's votes by stage of
a count, and the selection probabilities of a draw.  Pure functions of published results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

PALETTE = (
    "#1b5e20",
    "#0d47a1",
    "#b71c1c",
    "#4a148c",
    "#e65100",
    "#006064",
    "#827717",
    "#3e2723",
    "#880e4f",
    "#263238",
    "#33691e",
    "#01579b",
)


def stages_chart(result: Mapping[str, Any], width: int = 720, height: int = 360) -> str:
    """Lines of each candidate's votes at each stage, with a legend and the quota."""
    stages: Sequence[Mapping[str, Any]] = result.get("stages", [])
    candidates: Sequence[str] = result.get("candidates", [])
    if not stages or not candidates:
        return ""
    series = [[float(s["votes"].get(c, 0)) for s in stages] for c in candidates]
    quota = float(result.get("quota") or 0)
    top = max(max(max(v) for v in series), quota) or 1.0
    # the legend is as wide as the longest name (never cut) and as tall as the candidates
    right = max(190, 40 + round(6.6 * max(len(c) for c in candidates)))
    width += right - 190
    height = max(height, 20 + 14 * len(candidates) + 40)
    left, bottom, top_pad = 60, 40, 20
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    n = len(stages)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top_pad + plot_h * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-title"><title id="chart-title">Votes of each '
        f"candidate at each stage of the count</title>",
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" '
        'stroke="#333"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" stroke="#333"/>',
    ]
    for k in range(5):
        v = top * k / 4
        parts.append(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" '
            f'font-size="11">{v:,.0f}</text>'
        )
    for i in range(n):
        parts.append(
            f'<text x="{x(i):.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" '
            f'font-size="11">{i + 1}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle" '
        'font-size="12">stage</text>'
    )
    if quota:
        parts.append(
            f'<line x1="{left}" y1="{y(quota):.1f}" x2="{left + plot_w}" '
            f'y2="{y(quota):.1f}" stroke="#555" stroke-dasharray="4 3"/>'
            f'<text x="{left + plot_w - 4}" y="{y(quota) - 4:.1f}" text-anchor="end" '
            f'font-size="11">quota</text>'
        )
    for c, (name, values) in enumerate(zip(candidates, series, strict=True)):
        colour = PALETTE[c % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{points}"><title>{escape(name)}</title></polyline>'
        )
        ly = top_pad + 14 * c + 6
        parts.append(
            f'<rect x="{left + plot_w + 12}" y="{ly - 8}" width="10" height="10" '
            f'fill="{colour}"/><text class="legend" x="{left + plot_w + 26}" y="{ly + 1}" '
            f'font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def probabilities_chart(
    probabilities: Mapping[str, float], width: int = 720, height: int = 240
) -> str:
    """Each person's selection probability, sorted, as bars; the minimum marked."""
    values = sorted(probabilities.values())
    if not values:
        return ""
    left, bottom, top_pad = 50, 30, 16
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    peak = max(values) or 1.0
    bar = plot_w / len(values)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="prob-title"><title id="prob-title">Selection probability of each '
        "volunteer, lowest to highest</title>",
    ]
    for k in range(5):
        v = peak * k / 4
        yy = top_pad + plot_h * (1 - v / peak)
        parts.append(
            f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="11">'
            f"{100 * v:.1f}%</text>"
        )
    for i, v in enumerate(values):
        h = plot_h * v / peak
        parts.append(
            f'<rect x="{left + i * bar:.2f}" y="{top_pad + plot_h - h:.2f}" '
            f'width="{max(bar, 0.5):.2f}" height="{h:.2f}" fill="#0d47a1"/>'
        )
    low = top_pad + plot_h * (1 - values[0] / peak)
    parts.append(
        f'<line x1="{left}" y1="{low:.1f}" x2="{left + plot_w}" y2="{low:.1f}" '
        f'stroke="#b71c1c" stroke-dasharray="4 3"/><text x="{left + plot_w}" '
        f'y="{low - 4:.1f}" text-anchor="end" font-size="11">minimum '
        f"{100 * values[0]:.2f}%</text></svg>"
    )
    return "".join(parts)


def transfer_flows(result: Mapping[str, Any]) -> list[tuple[str, str, float]]:
    """(from, to, value) summed over the stages: each surplus or exclusion to the candidates who
    received it, and what became non-transferable at that stage."""
    flows: dict[tuple[str, str], float] = {}
    for s in result.get("stages", []):
        subject = s.get("subject")
        received = {to: float(v) for to, v in (s.get("transfers") or {}).items()}
        if not subject or not received:
            continue
        for to, value in received.items():
            flows[(subject, to)] = flows.get((subject, to), 0.0) + value
        lost = float(s.get("transferred") or 0) - sum(received.values())
        if lost > 1e-6:
            key = (subject, "non-transferable")
            flows[key] = flows.get(key, 0.0) + lost
    return [(a, b, v) for (a, b), v in flows.items() if v > 0]


def transfers_chart(result: Mapping[str, Any], width: int = 720) -> str:
    """A Sankey diagram of the transfers: whose votes moved (left) to whom (right), each band
    as wide as the value it carried; empty when nothing was transferred."""
    flows = transfer_flows(result)
    if not flows:
        return ""
    order = list(result.get("candidates", []))
    sources = list(dict.fromkeys(a for a, _, _ in flows))
    targets = sorted({b for _, b, _ in flows},
                     key=lambda b: order.index(b) if b in order else len(order))
    total = sum(v for _, _, v in flows)
    left_w = max(120, 12 + round(6.6 * max(len(n) for n in sources)))
    right_w = max(120, 12 + round(6.6 * max(len(n) for n in targets)))
    width += left_w + right_w - 240
    gap, node = 8, 12
    height = max(240, 24 * max(len(sources), len(targets)) + 40)
    scale = (height - 40 - gap * (max(len(sources), len(targets)) - 1)) / total
    x0, x1 = left_w, width - right_w - node

    def stack(names: list[str], side: int) -> dict[str, float]:
        tops, y = {}, 20.0
        for name in names:
            tops[name] = y
            # at least a label's height apart, however little a node carries
            y += max(sum(f[2] for f in flows if f[side] == name) * scale, 13) + gap
        return tops

    src_top, dst_top = stack(sources, 0), stack(targets, 1)
    src_used = dict.fromkeys(sources, 0.0)
    dst_used = dict.fromkeys(targets, 0.0)
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sources)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="transfers-title"><title id="transfers-title">Transfers: whose votes '
        "moved to whom over the count, each band as wide as the votes it carried</title>"
    ]
    mid = (x0 + node + x1) / 2
    for a, b, v in sorted(flows, key=lambda f: (sources.index(f[0]), targets.index(f[1]))):
        h = v * scale
        ys, yd = src_top[a] + src_used[a], dst_top[b] + dst_used[b]
        src_used[a] += h
        dst_used[b] += h
        parts.append(
            f'<path d="M{x0 + node},{ys:.1f} C{mid:.1f},{ys:.1f} {mid:.1f},{yd:.1f} {x1},{yd:.1f} '
            f"L{x1},{yd + h:.1f} C{mid:.1f},{yd + h:.1f} {mid:.1f},{ys + h:.1f} {x0 + node},"
            f'{ys + h:.1f} Z" fill="{colour[a]}" fill-opacity="0.45">'
            f"<title>{escape(a)} to {escape(b)}: {v:,.2f}</title></path>"
        )
    for name in sources:
        h = src_used[name]
        parts.append(
            f'<rect x="{x0}" y="{src_top[name]:.1f}" width="{node}" height="{max(h, 1):.1f}" '
            f'fill="{colour[name]}"/><text x="{x0 - 6}" y="{src_top[name] + h / 2 + 4:.1f}" '
            f'text-anchor="end" font-size="11">{escape(name)}</text>'
        )
    for name in targets:
        h = dst_used[name]
        parts.append(
            f'<rect x="{x1}" y="{dst_top[name]:.1f}" width="{node}" height="{max(h, 1):.1f}" '
            f'fill="#555"/><text x="{x1 + node + 6}" y="{dst_top[name] + h / 2 + 4:.1f}" '
            f'font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
