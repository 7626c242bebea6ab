import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { LicensesReport, ReportChart, ReportSection } from '@pc/analytics';

/** Options of {@link renderReportHtml}. */
export interface HtmlReportOptions {
  /** The display locale of numbers and dates (BCP 47); default `en-US`. */
  readonly locale?: string;
}

/** The chart drawn server-side and again in the page: its ECharts option and size. */
interface ChartSpec {
  readonly option: Record<string, unknown>;
  readonly width: number;
  readonly height: number;
}

const palette = ['#2563eb', '#0d9488', '#f59e0b', '#db2777', '#7c3aed'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) =>
    char === '&'
      ? '&amp;'
      : char === '<'
        ? '&lt;'
        : char === '>'
          ? '&gt;'
          : char === '"'
            ? '&quot;'
            : '&#39;',
  );
}

/** JSON that is safe inside a `<script>` element (no `</script>`, no HTML comment openers). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function chartSpec(section: ReportSection, chart: ReportChart): ChartSpec {
  const rows = section.rows;
  const labels = rows.map((row) => String(row[chart.category] ?? ''));
  const perRow = 10 + 10 * chart.series.length;
  const height = Math.max(160, 70 + rows.length * perRow);
  const percent = chart.valueKind === 'percent';
  const option = {
    animation: false,
    color: palette,
    textStyle: { color: 'currentColor', fontFamily: 'system-ui, sans-serif' },
    grid: { left: 8, right: 24, top: chart.series.length > 1 ? 34 : 12, bottom: 24, containLabel: true },
    legend:
      chart.series.length > 1
        ? { top: 0, textStyle: { color: 'currentColor' }, data: chart.series.map((series) => series.label) }
        : undefined,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'value',
      axisLabel: { color: 'currentColor', formatter: percent ? '{value}%' : undefined },
      splitLine: { lineStyle: { color: '#8884' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: labels,
      axisLabel: { color: 'currentColor', width: 170, overflow: 'truncate', interval: 0 },
      axisLine: { lineStyle: { color: '#888' } },
    },
    series: chart.series.map((series) => ({
      name: series.label,
      type: 'bar',
      barMaxWidth: 14,
      data: rows.map((row) => {
        const value = row[series.column];
        if (typeof value !== 'number') return null;
        return percent ? Math.round(value * 1000) / 10 : value;
      }),
    })),
  };
  return { option, width: 640, height };
}

type Formatter = (value: string | number | null, kind: 'string' | 'number' | 'percent') => string;

function formatterFor(locale: string): Formatter {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  return (value, kind) => {
    if (value === null || value === '') return kind === 'string' ? '' : '–';
    if (typeof value === 'number') return kind === 'percent' ? percent.format(value) : number.format(value);
    return value;
  };
}

function tableHtml(section: ReportSection, format: Formatter): string {
  const head = section.columns
    .map((column, index) => {
      const numeric = column.kind !== 'string';
      return `<th scope="col" data-kind="${column.kind}"${numeric ? ' class="num"' : ''}><span class="th" data-column="${index}">${escapeHtml(column.label)}</span></th>`;
    })
    .join('');
  const body = section.rows
    .map((row) => {
      const cells = section.columns
        .map((column) => {
          const value = row[column.name] ?? null;
          const raw = value === null ? '' : String(value);
          const numeric = column.kind !== 'string';
          return `<td data-name="${escapeHtml(column.name)}" data-value="${escapeHtml(raw)}"${numeric ? ' class="num"' : ''}>${escapeHtml(format(value, column.kind))}</td>`;
        })
        .join('');
      return `<tr>${cells}</tr>`;
    })
    .join('\n');
  const empty =
    section.rows.length === 0
      ? `<tr><td colspan="${section.columns.length}" class="empty">Nothing to show.</td></tr>`
      : '';
  return `<div class="table-wrap" tabindex="0"><table class="sortable" data-section="${escapeHtml(section.id)}"><caption>${escapeHtml(section.title)}</caption><thead><tr>${head}</tr></thead><tbody>${body}${empty}</tbody></table></div>`;
}

interface Figure {
  readonly id: string;
  readonly label: string;
  readonly value: number | null;
  readonly kind: 'number' | 'percent';
  readonly note?: string;
  readonly previous?: number | null | undefined;
}

function headlineHtml(report: LicensesReport, format: Formatter): string {
  const head = report.headline;
  const previous = report.trend.previous;
  const figures: Figure[] = [
    {
      id: 'customers',
      label: 'Customers',
      value: head.customers,
      kind: 'number',
      previous: previous?.customers,
    },
    { id: 'products', label: 'Products', value: head.products, kind: 'number', previous: previous?.products },
    {
      id: 'licensesSold',
      label: 'Licenses sold',
      value: head.licensesSold,
      kind: 'number',
      previous: previous?.licensesSold,
    },
    {
      id: 'licensesDeployed',
      label: 'Deployed',
      value: head.licensesDeployed,
      kind: 'number',
      note: `${format(head.deployedRate, 'percent')} of sold`,
      previous: previous?.licensesDeployed,
    },
    {
      id: 'licensesActive',
      label: 'Active',
      value: head.licensesActive,
      kind: 'number',
      note: `${format(head.activeRate, 'percent')} of deployed`,
      previous: previous?.licensesActive,
    },
    {
      id: 'unusedLicenses',
      label: 'Unused (sold − deployed)',
      value: head.unusedLicenses,
      kind: 'number',
      previous: previous?.unusedLicenses,
    },
    {
      id: 'inactiveLicenses',
      label: 'Inactive (deployed − active)',
      value: head.inactiveLicenses,
      kind: 'number',
      previous: previous?.inactiveLicenses,
    },
    {
      id: 'flaggedPairs',
      label: 'Flagged rows',
      value: head.flaggedPairs,
      kind: 'number',
      note: `of ${format(head.pairs, 'number')} customer-product pairs`,
    },
  ];
  return figures
    .map((figure) => {
      const change =
        figure.previous === undefined || figure.previous === null || figure.value === null
          ? ''
          : `<span class="delta" data-delta="${figure.value - figure.previous}">${figure.value - figure.previous >= 0 ? '+' : ''}${format(figure.value - figure.previous, 'number')} since ${escapeHtml(report.trend.from?.slice(0, 10) ?? '')}</span>`;
      return `<div class="figure" data-figure="${figure.id}" data-value="${figure.value ?? ''}"><span class="label">${escapeHtml(figure.label)}</span><strong>${escapeHtml(format(figure.value, figure.kind))}</strong>${figure.note === undefined ? '' : `<span class="note">${escapeHtml(figure.note)}</span>`}${change}</div>`;
    })
    .join('\n');
}

const styles = `
:root{color-scheme:light dark;--bg:#f8fafc;--fg:#0f172a;--muted:#475569;--card:#fff;--line:#e2e8f0;--accent:#2563eb;--warn:#b45309}
@media (prefers-color-scheme:dark){:root{--bg:#0b1120;--fg:#e2e8f0;--muted:#94a3b8;--card:#111a2e;--line:#24324d;--accent:#60a5fa;--warn:#fbbf24}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main,footer{max-width:1240px;margin:0 auto;padding:0 20px}
header{padding-top:28px}
h1{font-size:1.7rem;margin:0 0 4px}
h2{font-size:1.25rem;margin:0 0 4px}
p{margin:0 0 12px;color:var(--muted)}
.meta{font-size:.9rem}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px;margin:20px 0}
.figure{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;display:flex;flex-direction:column}
.figure .label{font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.figure strong{font-size:1.6rem;font-variant-numeric:tabular-nums}
.figure .note,.figure .delta{font-size:.85rem;color:var(--muted)}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px;margin:18px 0;break-inside:avoid}
.pair{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,7fr);gap:18px;align-items:start}
.pair.single{grid-template-columns:minmax(0,1fr)}
figure.chart{margin:0;color:var(--fg);min-width:0}
figure.chart svg{width:100%;height:auto;display:block}
.table-wrap{overflow:auto;max-height:560px;border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.86rem}
caption{position:absolute;left:-9999px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
td{max-width:28ch;overflow:hidden;text-overflow:ellipsis}
th{position:sticky;top:0;background:var(--card);font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
th button{all:unset;cursor:pointer;display:inline-flex;gap:4px}
th button:focus-visible{outline:2px solid var(--accent)}
th[aria-sort=ascending] button::after{content:"▲";font-size:.7em}
th[aria-sort=descending] button::after{content:"▼";font-size:.7em}
td[data-name=flags]{color:var(--warn)}
.empty{color:var(--muted);text-align:center}
.note-box{border-left:3px solid var(--warn);padding:6px 12px;color:var(--muted)}
footer{padding-bottom:30px;font-size:.85rem;color:var(--muted)}
@media (max-width:900px){.pair{grid-template-columns:minmax(0,1fr)}}
@media print{body{background:#fff;color:#000}section,.figure{border-color:#ccc;box-shadow:none}.table-wrap{max-height:none;overflow:visible}header,main,footer{max-width:none}.pair{grid-template-columns:minmax(0,1fr)}}
`;

/** The page script: sortable tables, and charts drawn again by ECharts (SVG) to follow the page width and theme. */
const pageScript = `
(function(){
  function cellValue(row, index, kind){
    var cell = row.cells[index]; var raw = cell ? cell.getAttribute('data-value') : '';
    if (kind === 'string') return raw || '';
    return raw === '' || raw === null ? null : Number(raw);
  }
  document.querySelectorAll('table.sortable').forEach(function(table){
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function(th, index){
      var span = th.querySelector('.th'); if (!span) return;
      var button = document.createElement('button'); button.type = 'button'; button.textContent = span.textContent;
      span.replaceWith(button);
      button.addEventListener('click', function(){
        var kind = th.getAttribute('data-kind');
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        Array.prototype.forEach.call(heads, function(other){ other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir);
        var body = table.tBodies[0]; var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function(a, b){
          var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
          if (x === y) return 0; if (x === null) return 1; if (y === null) return -1;
          var order = kind === 'string' ? String(x).localeCompare(String(y)) : x - y;
          return dir === 'ascending' ? order : -order;
        });
        rows.forEach(function(row){ body.appendChild(row); });
      });
    });
  });
  if (typeof echarts === 'undefined') return;
  var charts = [];
  document.querySelectorAll('figure.chart').forEach(function(figure){
    var source = document.getElementById(figure.getAttribute('data-option'));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var box = document.createElement('div');
    box.className = 'live'; box.style.width = '100%'; box.style.height = spec.height + 'px';
    figure.replaceChildren(box);
    var chart = echarts.init(box, null, { renderer: 'svg' });
    chart.setOption(spec.option);
    charts.push(chart);
  });
  window.addEventListener('resize', function(){ charts.forEach(function(chart){ chart.resize(); }); });
  window.addEventListener('beforeprint', function(){ charts.forEach(function(chart){ chart.resize(); }); });
})();
`;

let echartsSource: Promise<string> | undefined;

/** The ECharts browser bundle, read once from the installed package (inlined into every report). */
function echartsBundle(): Promise<string> {
  echartsSource ??= readFile(
    createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'),
    'utf8',
  ).then((text) => text.replace(/<\/script/gi, '<\\/script'));
  return echartsSource;
}

async function renderSvg(spec: ChartSpec): Promise<string> {
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: spec.width,
    height: spec.height,
  });
  try {
    chart.setOption(spec.option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** ` (read from Partner Center)` or ` (from history ...)`: where the earlier snapshot came from (HTML-escaped). */
function trendSourceText(report: LicensesReport): string {
  const source = report.trend.source;
  if (source === null) return '';
  return source.kind === 'service' ? ' (read from Partner Center)' : ` (from ${escapeHtml(source.label)})`;
}

/**
 * Renders a report model as one self-contained HTML page: no request at view time (styles,
 * scripts and the ECharts bundle are inlined; no fonts or images are fetched). Each chart is drawn
 * server-side as SVG, so the page reads (and prints) without JavaScript; with JavaScript, ECharts
 * draws it again to follow the page width and adds tooltips, and the tables become sortable. Each
 * chart has its table beside it; numbers carry their exact value in `data-value`. Light and dark
 * follow the reader's system setting.
 */
export async function renderReportHtml(
  report: LicensesReport,
  options: HtmlReportOptions = {},
): Promise<string> {
  const locale = options.locale ?? 'en-US';
  const format = formatterFor(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const day = (value: string | null) => (value === null ? 'unknown' : dates.format(new Date(value)));
  const sections: string[] = [];
  const specs: string[] = [];
  for (const section of report.sections) {
    let chartHtml = '';
    if (section.chart !== undefined && section.rows.length > 0) {
      const spec = chartSpec(section, section.chart);
      const id = `chart-${section.id}`;
      specs.push(`<script type="application/json" id="${id}">${scriptJson(spec)}</script>`);
      chartHtml = `<figure class="chart" data-option="${id}" aria-label="${escapeHtml(section.title)} (chart; the table beside it holds the same numbers)">${await renderSvg(spec)}</figure>`;
    }
    sections.push(
      `<section id="${escapeHtml(section.id)}"><h2>${escapeHtml(section.title)}</h2><p>${escapeHtml(section.description)}</p>` +
        `<div class="pair${chartHtml === '' ? ' single' : ''}">${chartHtml}${tableHtml(section, format)}</div></section>`,
    );
  }
  const trendLine =
    report.trend.from !== null
      ? `Compared with the snapshot of ${escapeHtml(day(report.trend.from))}${trendSourceText(report)}.${report.trend.note === undefined ? '' : ` ${escapeHtml(report.trend.note)}.`}`
      : `No comparison: ${escapeHtml(report.trend.note ?? 'no earlier snapshot')}${trendSourceText(report)}.`;
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="pc report">
<title>${escapeHtml(report.title)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>${escapeHtml(report.title)}</h1>
<p class="meta">Data of ${escapeHtml(day(report.snapshot.deployment))} (deployment) and ${escapeHtml(day(report.snapshot.usage))} (usage), built ${escapeHtml(report.generatedAt.replace('T', ' ').slice(0, 16))} UTC. ${trendLine}</p>
</header>
<main>
<div class="figures" id="headline">
${headlineHtml(report, format)}
</div>
<p class="note-box">Counts are tenant-wide: a customer who also buys from other partners or directly from Microsoft shows those licenses too. Active licenses: ${escapeHtml(report.activeRule)}. Rates above 100 % are shown as reported and flagged, never clamped.</p>
${sections.join('\n')}
</main>
<footer>Made with pc from the Partner Center licenses analytics endpoints (commercial deployment and usage). Charts: Apache ECharts.</footer>
${specs.join('\n')}
<script>${await echartsBundle()}</script>
<script>${pageScript}</script>
</body>
</html>
`;
}
