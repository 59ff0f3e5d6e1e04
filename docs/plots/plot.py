#!/usr/bin/env python3
"""Draws each table of this folder (NAME.tsv: a comment line, a header, rows) as a grouped bar
chart, NAME.svg, with the standard library only; render.sh turns them into PNG with chromium."""
import pathlib
import sys

COLOURS = ["#c2410c", "#1d4ed8", "#15803d", "#7c3aed"]
WIDTH, HEIGHT = 900, 420
LEFT, RIGHT, TOP, BOTTOM = 90, 20, 60, 90


def read(path):
    lines = [l.rstrip("\n") for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    title = lines[0].lstrip("# ").strip() if lines[0].startswith("#") else path.stem
    rows = [l.split("\t") for l in lines if not l.startswith("#")]
    header, data = rows[0], rows[1:]
    return title, header, [(r[0], [float(v) for v in r[1:]]) for r in data]


def number(value):
    if value >= 1000:
        return f"{value / 1000:.0f}k"
    return f"{value:.3g}"


def chart(title, header, rows, target=None):
    series = header[1:]
    high = max(max(values) for _, values in rows) * 1.1 or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / len(rows)
    bar = group * 0.8 / len(series)
    y = lambda v: TOP + plot_h - plot_h * v / high
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="22" font-size="13" fill="#1d2430">{escape(title)}</text>']
    for i in range(5):
        value = high * i / 4
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#667085">{number(value)}</text>')
    for g, (label, values) in enumerate(rows):
        x0 = LEFT + g * group + group * 0.1
        for s, value in enumerate(values):
            x = x0 + s * bar
            out.append(f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{bar - 2:.1f}" height="{TOP + plot_h - y(value):.1f}" fill="{COLOURS[s % len(COLOURS)]}"/>')
            out.append(f'<text x="{x + bar / 2 - 1:.1f}" y="{y(value) - 4:.1f}" text-anchor="middle" fill="#1d2430" font-size="11">{number(value)}</text>')
        out.append(f'<text x="{LEFT + g * group + group / 2:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" fill="#1d2430">{escape(label)}</text>')
    if target is not None:
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="#b42318" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{LEFT + 4}" y="{y(target) - 6:.1f}" fill="#b42318">target {number(target)}</text>')
    x = LEFT
    for s, name in enumerate(series):
        out.append(f'<rect x="{x}" y="{HEIGHT - 40}" width="12" height="12" fill="{COLOURS[s % len(COLOURS)]}"/>')
        out.append(f'<text x="{x + 18}" y="{HEIGHT - 30}" fill="#1d2430">{escape(name)}</text>')
        x += 18 + 7 * len(name) + 30  # the legend's entries one after the other, each as wide as its name
    out.append("</svg>")
    return "\n".join(out)


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# The line each figure is held against (docs/benchmarks.md, "Against the performance targets").
TARGETS = {"transport": 100_000, "pipeline": 100_000, "latency": 10, "young-generation": 100_000}

if __name__ == "__main__":
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent)
    for table in sorted(folder.glob("*.tsv")):
        title, header, rows = read(table)
        table.with_suffix(".svg").write_text(chart(title, header, rows, TARGETS.get(table.stem)), encoding="utf-8")
        print(table.with_suffix(".svg"))
