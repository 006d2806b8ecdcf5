"""The fleet's compliance as one self-contained HTML page (no external file, script or font).

- verdict and counts first;
- a small bar chart (inline SVG) of findings by control family;
- the tenant x control matrix: one row per stack, one column per checked control, each cell pass,
  fail, waived, undecided or n/a (no rule of the control applied to anything in the stack);
- every finding with its resource, message and fix, grouped by control;
- every checked control with its Japanese and English titles, its source quotes and its remediation.

Filters (text, control family, cell state) hide rows, columns, findings and controls. Their state
lives in the URL fragment (``report.html#family=NET&status=fail&q=acme``), so a filtered view can be
linked to, and a headless browser can open one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape

from policies.catalog import Control
from tenantctl.gate.model import MANDATORY, GateResult, Violation
from tenantctl.report.details import control as catalog_control
from tenantctl.report.details import controls_checked, rule_fix, summary_line

STATES = ("fail", "undecided", "waived", "pass", "n/a")
SYMBOL = {"pass": "✓", "fail": "✗", "waived": "W", "undecided": "?", "n/a": "–"}
LABEL = {
    "pass": "pass",
    "fail": "fail",
    "waived": "waived",
    "undecided": "undecided (unknown until deployment)",
    "n/a": "not applicable",
}
CROSS_STACK = "(across stacks)"

STYLE = """
body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;\
margin:1.5rem;color:#1d2329}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
.verdict{font-size:1.2rem;font-weight:700;padding:.4rem .8rem;display:inline-block;border-radius:4px}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #ddd;z-index:2}
.filters label{margin-right:1rem}
table.matrix{border-collapse:collapse;font-size:.8rem}
.matrix th,.matrix td{border:1px solid #ccc;padding:2px 4px;text-align:center}
.matrix th.stack{text-align:left;white-space:nowrap}
.matrix thead th{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
.pass{background:#dcf5e3}.fail{background:#f8b4b4;font-weight:700}.waived{background:#fde68a}
.undecided{background:#e0e7ff}.n-a{background:#f3f4f6;color:#9ca3af}
.verdict.pass{background:#dcf5e3;color:#14532d}.verdict.fail{background:#fde2e1;color:#7f1d1d}
.legend span{margin-right:.8rem}.finding{border-left:4px solid #dc2626;padding:.3rem .6rem;margin:.4rem 0}
.finding.advisory{border-color:#d97706}.finding .fix{color:#14532d}
.control{border:1px solid #e5e7eb;border-radius:4px;padding:.5rem .8rem;margin:.5rem 0}
.control .ja{font-size:1rem}.control blockquote{margin:.3rem 0 .3rem 1rem;color:#374151}
[hidden]{display:none!important}
"""

SCRIPT = """
(function(){
  function params(){
    var out={q:"",family:"",status:""};
    location.hash.replace(/^#/,"").split("&").forEach(function(pair){
      var kv=pair.split("=");
      if(kv.length===2&&kv[0] in out){out[kv[0]]=decodeURIComponent(kv[1]);}
    });
    return out;
  }
  function apply(f){
    var q=f.q.toLowerCase();
    document.querySelectorAll(".filterable").forEach(function(el){
      var familyOk=!f.family||el.dataset.family===f.family;
      var textOk=!q||el.classList.contains("column")||(el.dataset.text||"").toLowerCase().indexOf(q)>=0;
      el.hidden=!(familyOk&&textOk);
    });
    document.querySelectorAll("td.cell").forEach(function(td){
      td.hidden=!!f.family&&td.dataset.family!==f.family;
    });
    document.querySelectorAll("tr.row").forEach(function(tr){
      var textOk=!q||tr.dataset.stack.toLowerCase().indexOf(q)>=0;
      var statusOk=!f.status||Array.prototype.some.call(tr.querySelectorAll("td.cell"),function(td){
        return !td.hidden&&td.dataset.status===f.status;
      });
      tr.hidden=!(textOk&&statusOk);
    });
    var shown=document.querySelectorAll("tr.row:not([hidden])").length;
    document.getElementById("shown").textContent=String(shown);
    document.getElementById("filter-text").value=f.q;
    document.getElementById("filter-family").value=f.family;
    document.getElementById("filter-status").value=f.status;
  }
  function fromInputs(){
    var f={q:document.getElementById("filter-text").value,
           family:document.getElementById("filter-family").value,
           status:document.getElementById("filter-status").value};
    var parts=[];
    Object.keys(f).forEach(function(k){if(f[k]){parts.push(k+"="+encodeURIComponent(f[k]));}});
    history.replaceState(null,"",parts.length?"#"+parts.join("&"):location.pathname);
    apply(f);
  }
  ["filter-text","filter-family","filter-status"].forEach(function(id){
    document.getElementById(id).addEventListener("input",fromInputs);
  });
  window.addEventListener("hashchange",function(){apply(params());});
  apply(params());
  document.body.dataset.ready="true";
})();
"""


def _state_class(state: str) -> str:
    return "n-a" if state == "n/a" else state


def _chart(violations: list[Violation]) -> str:
    """Findings per control family as horizontal bars (inline SVG)."""
    counts = Counter(v.control.split("-", 1)[0] for v in violations)
    if not counts:
        return '<p id="chart">No findings in any family.</p>'
    families = sorted(counts, key=lambda f: (-counts[f], f))
    longest = max(counts.values())
    bar_height, width = 18, 320
    rows = []
    for index, family in enumerate(families):
        y = index * (bar_height + 4)
        length = max(2, round(width * counts[family] / longest))
        rows.append(
            f'<g class="bar" data-family="{escape(family)}" data-count="{counts[family]}">'
            f'<text x="0" y="{y + 13}" font-size="12">{escape(family)}</text>'
            f'<rect x="60" y="{y}" width="{length}" height="{bar_height}" fill="#dc2626"></rect>'
            f'<text x="{66 + length}" y="{y + 13}" font-size="12">{counts[family]}</text></g>'
        )
    height = len(families) * (bar_height + 4)
    return (
        f'<svg id="chart" role="img" aria-label="findings by control family" width="{width + 110}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )


def _matrix(result: GateResult, controls: list[Control]) -> str:
    head = "".join(
        f'<th class="column filterable" data-family="{escape(c.family)}"'
        f' title="{escape(c.title_en)}">{escape(c.id)}</th>'
        for c in controls
    )
    rows = []
    for stack in sorted(result.controls):
        cells = result.controls[stack]
        tds = []
        for control in controls:
            state = cells.get(control.id, "n/a")
            tds.append(
                f'<td class="cell {_state_class(state)}" data-stack="{escape(stack)}" '
                f'data-control="{escape(control.id)}" data-family="{escape(control.family)}" '
                f'data-status="{escape(state)}"'
                f' title="{escape(f"{stack} {control.id}: {LABEL.get(state, state)}")}">'
                f"{SYMBOL.get(state, '?')}</td>"
            )
        rows.append(
            f'<tr class="row" data-stack="{escape(stack)}"><th'
            f' class="stack">{escape(stack)}</th>{"".join(tds)}</tr>'
        )
    legend = "".join(
        f'<span><span class="{_state_class(s)}">{SYMBOL[s]}</span> {escape(LABEL[s])}</span>' for s in STATES
    )
    return (
        f'<p class="legend">{legend}</p>'
        f'<table class="matrix" id="matrix"><thead><tr><th class="stack">stack</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _findings(result: GateResult, by_id: dict[str, Control]) -> str:
    grouped: dict[str, list[Violation]] = defaultdict(list)
    for violation in sorted(result.violations):
        grouped[violation.control].append(violation)
    if not grouped:
        return '<p id="findings">No findings.</p>'
    parts = ['<div id="findings">']
    for control_id in sorted(grouped):
        control = by_id.get(control_id)
        family = control_id.split("-", 1)[0]
        title = control.title_en if control else ""
        parts.append(
            f'<h3 class="filterable" data-family="{escape(family)}"'
            f' data-text="{escape(control_id)}">{escape(control_id)} {escape(title)}</h3>'
        )
        for violation in grouped[control_id]:
            fix = rule_fix(violation.rule)
            kind = "mandatory" if violation.enforcement == MANDATORY else "advisory"
            where = violation.stack or CROSS_STACK
            text = " ".join((where, violation.message, violation.rule))
            parts.append(
                f'<div class="finding filterable {kind}" data-family="{escape(family)}"'
                f' data-text="{escape(text)}" '
                f'data-stack="{escape(where)}" data-control="{escape(control_id)}">'
                f"<div><b>{escape(kind.upper())}</b> {escape(where)} ·"
                f" <code>{escape(violation.urn or '(the stack)')}</code></div>"
                f"<div>{escape(violation.message)}</div>"
                + (f'<div class="fix">Fix: {escape(fix)}</div>' if fix else "")
                + "</div>"
            )
    parts.append("</div>")
    return "".join(parts)


def _control_cards(controls: list[Control]) -> str:
    parts = []
    for control in controls:
        quotes = "".join(
            f"<blockquote>{escape(s.quote)}<br><small>{escape(s.title)} —"
            f" {escape(s.section)}</small></blockquote>"
            for s in control.sources
        )
        text = " ".join((control.id, control.title_en, control.title_ja))
        parts.append(
            f'<div class="control filterable" id="control-{escape(control.id)}"'
            f' data-family="{escape(control.family)}"'
            f' data-text="{escape(text)}"><div><b>{escape(control.id)}</b> <span class="ja"'
            f' lang="ja">{escape(control.title_ja)}</span></div><div class="en"'
            f' lang="en">{escape(control.title_en)}</div>{quotes}'
            + (f"<div><b>Remediation:</b> {escape(control.remediation)}</div>" if control.remediation else "")
            + "</div>"
        )
    return "".join(parts)


def _controls(result: GateResult) -> list[Control]:
    """The checked controls and every control with a matrix cell (merged reports may only have cells)."""
    found = {c.id: c for c in controls_checked(result)}
    for cells in result.controls.values():
        for control_id in cells:
            if control_id not in found:
                found[control_id] = catalog_control(control_id) or Control(id=control_id)
    return [found[k] for k in sorted(found)]


def render(result: GateResult) -> str:
    controls = _controls(result)
    by_id = {c.id: c for c in controls}
    families = sorted({c.family for c in controls})
    verdict = "pass" if result.passed else "fail"
    family_options = "".join(f'<option value="{escape(f)}">{escape(f)}</option>' for f in families)
    status_options = "".join(f'<option value="{escape(s)}">{escape(LABEL[s])}</option>' for s in STATES)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>tenant-zone compliance report</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>tenant-zone compliance report / コンプライアンスレポート</h1>"
        f'<p><span class="verdict {verdict}" id="verdict">{verdict.upper()}</span> '
        f'<span id="summary">{escape(summary_line(result))}</span></p>'
        '<div class="filters">'
        '<label>Filter <input id="filter-text" type="search" placeholder="stack, control, text"></label>'
        '<label>Family <select id="filter-family"><option'
        f' value="">all</option>{family_options}</select></label>'
        '<label>Cell <select id="filter-status"><option'
        f' value="">any</option>{status_options}</select></label>'
        f'<span><span id="shown">{len(result.controls)}</span> of {len(result.controls)} stacks shown</span>'
        "</div>"
        "<h2>Findings by control family</h2>"
        f"{_chart(result.violations)}"
        "<h2>Tenant × control matrix</h2>"
        f"{_matrix(result, controls)}"
        "<h2>Findings</h2>"
        f"{_findings(result, by_id)}"
        "<h2>Controls</h2>"
        f"{_control_cards(controls)}"
        f"<script>{SCRIPT}</script></body></html>\n"
    )
