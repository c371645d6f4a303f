// The reader's plan: charts of worksheet rows, the plan page (plan.html) and calendar export.
// Loaded only on pages with a chart or a date field, on print.html and on plan.html. Everything
// is read from this browser's localStorage (the layout guidebook.js writes) or from the forms on
// the page; nothing is sent anywhere.
(function () {
  'use strict';

  const doc = document;
  const BOOK = doc.documentElement.dataset.book || 'book';
  const STORAGE_PREFIX = 'guidebook:' + BOOK + ':';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const CHART_WIDTH = 560;
  const CHART_HEIGHT = 400;
  const CHART_MIN_WIDTH = 300;
  const MARGIN = { top: 24, right: 24, bottom: 64, left: 72 };
  const LINE_HEIGHT = 16;
  // Room between the plotting area's border and a mark on the highest or lowest value: a dot's
  // radius, half a label's height, and some air.
  const PLOT_INSET = 14;
  // The widest line of an end label beside the vertical axis ("很大", "A great deal").
  const END_LABEL_ROOM = 56;
  const BAR_ROW_HEIGHT = 30;
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

  // UI words come from the book's words table (book.js); every built-in table has them all.
  function t(key) {
    const words = (window.guidebook && window.guidebook.words) || {};
    return typeof words[key] === 'string' ? words[key] : key;
  }

  // A choice is saved as its option's position (`"2"`), the same in every language; a text
  // saved before that, or an option since removed, is matched as it is.
  function optionIndex(options, value) {
    return /^[1-9][0-9]*$/.test(value) && Number(value) <= options.length
      ? Number(value) - 1
      : options.indexOf(value);
  }

  // Reading progress is per language (guidebook.js stores `en/<path>` for `en/` pages).
  function readKey(path) {
    return window.guidebook && window.guidebook.readKey ? window.guidebook.readKey(path) : path;
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  }

  // ---- saved answers (read-only: guidebook.js owns writing them) ----

  function readStored(key) {
    try {
      const value = JSON.parse(localStorage.getItem(STORAGE_PREFIX + key));
      return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    } catch (e) {
      return {};
    }
  }

  function savedFields(worksheetId) {
    const saved = readStored('ws:' + worksheetId).fields;
    return saved && typeof saved === 'object' && !Array.isArray(saved) ? saved : {};
  }

  function isBlank(value) {
    return Array.isArray(value) ? value.length === 0 : value == null || String(value).trim() === '';
  }

  // ---- answers as they stand in a form on this page (fresher than storage while typing) ----

  function controlValue(control) {
    if (control.multiple) return [...control.selectedOptions].map((o) => o.value).filter(Boolean);
    return control.value || '';
  }

  // Rows as guidebook.js saves them: one object per row, rows with nothing filled in left out.
  function rowsFromForm(rowsField) {
    return [...rowsField.querySelectorAll('table.ws-rows > tbody > tr')]
      .map((tr) => {
        const row = {};
        tr.querySelectorAll('[data-col]').forEach((c) => { row[c.dataset.col] = controlValue(c); });
        return row;
      })
      .filter((row) => Object.values(row).some((v) => !isBlank(v)));
  }

  function fieldsFromForm(form) {
    const fields = {};
    form.querySelectorAll('.field[data-field]').forEach((f) => {
      if (f.dataset.type === 'rows') fields[f.dataset.field] = rowsFromForm(f);
      else if (f.dataset.type === 'date') fields[f.dataset.field] = controlValue(f.querySelector('input'));
    });
    return fields;
  }

  function textOf(element) {
    return element ? element.textContent.replace(/\s*[\uff08(][^\uff09)]*[\uff09)]$/, '').trim().replace(/\s+/g, ' ') : '';
  }

  // The dated fields of a form, in the shape plan-data.js gives them for every worksheet.
  function datesFromForm(form) {
    const dates = [];
    form.querySelectorAll('.field[data-field]').forEach((f) => {
      if (f.dataset.type === 'date') {
        dates.push({ field: f.dataset.field, label: textOf(f.querySelector('label')) });
        return;
      }
      if (f.dataset.type !== 'rows') return;
      const template = f.querySelector('template.ws-row-template');
      const controls = template ? [...template.content.querySelectorAll('[data-col]')] : [];
      const texts = controls
        .filter((c) => c.tagName === 'TEXTAREA' || (c.tagName === 'INPUT' && c.type === 'text'))
        .map((c) => ({ id: c.dataset.col, label: c.getAttribute('aria-label') || c.dataset.col }));
      controls.filter((c) => c.type === 'date').forEach((c) => {
        dates.push({
          field: f.dataset.field,
          label: textOf(f.querySelector('caption')),
          column: c.dataset.col,
          columnLabel: c.getAttribute('aria-label') || c.dataset.col,
          texts: texts,
        });
      });
    });
    return dates;
  }

  // ---- charts ----

  function svg(name, attributes, text) {
    const element = doc.createElementNS(SVG_NS, name);
    Object.entries(attributes || {}).forEach(([k, v]) => element.setAttribute(k, v));
    if (text != null) element.textContent = text;
    return element;
  }

  function numberIn(value, axis) {
    const n = Number(value);
    return value !== '' && value != null && Number.isFinite(n) && n >= axis.min && n <= axis.max ? n : null;
  }

  // The rows a chart can place, each keeping its index in the saved list as `row`.
  function chartPoints(spec, rows) {
    const points = [];
    (Array.isArray(rows) ? rows : []).forEach((row, index) => {
      if (!row || typeof row !== 'object') return;
      const x = numberIn(row[spec.x.column], spec.x);
      const y = spec.y ? numberIn(row[spec.y.column], spec.y) : 0;
      if (x == null || y == null) return;
      const label = spec.label ? String(row[spec.label] || '').trim() : '';
      const stored = spec.color ? String(row[spec.color.column] || '') : '';
      const color = spec.color ? optionIndex(spec.color.options, stored) : -1;
      points.push({ row: index, x: x, y: y, label: label || format(t('plan_row'), { n: index + 1 }),
        colorValue: color >= 0 ? spec.color.options[color] : stored, color: color });
    });
    return points;
  }

  function scaleTo(axis, from, to) {
    return (value) => from + ((value - axis.min) / (axis.max - axis.min)) * (to - from);
  }

  function axisTitle(axis) {
    return axis.label;
  }

  // A chart is drawn at the width it is shown at (one unit a CSS pixel), so that its text keeps
  // its size on a phone; on a wide screen it is drawn CHART_WIDTH wide and scaled up a little.
  function chartWidth(chart) {
    const shown = chart.getBoundingClientRect().width;
    return shown ? Math.round(Math.min(CHART_WIDTH, Math.max(CHART_MIN_WIDTH, shown))) : CHART_WIDTH;
  }

  // Where a line may break, from the most to the least natural: after a colon or semicolon
  // (and the space after it), after any punctuation or space, then between Chinese characters.
  // Chinese punctuation as escapes, so that a book in another language ships no Chinese character.
  const STRONG_BREAK = /[:;\uff1a\uff1b]/;
  const PUNCTUATION = /[\s:;,.!?)\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff09]/;
  const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  const BREAK_LEVELS = 3;

  // Measures text in a chart's fonts with a canvas, so that fitting labels lays nothing out.
  function textMeasurer(chart) {
    const context = doc.createElement('canvas').getContext('2d');
    const fonts = new Map();
    return (cls, text) => {
      if (!fonts.has(cls)) {
        const probe = svg('text', { class: cls });
        chart.append(probe);
        const style = getComputedStyle(probe);
        fonts.set(cls, style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily);
        probe.remove();
      }
      // Without a canvas: about 1 em a Chinese character and 0.6 em any other.
      if (!context) return [...text].reduce((w, ch) => w + (CJK.test(ch) ? 13 : 8), 0);
      context.font = fonts.get(cls);
      return context.measureText(text).width;
    };
  }

  function breaksAfter(chars, i, level) {
    const next = chars[i + 1];
    // No line starts with a space or a closing mark.
    if (next === undefined || PUNCTUATION.test(next)) return false;
    const ch = chars[i];
    const mark = /\s/.test(ch) && i > 0 ? chars[i - 1] : ch;
    if (level === 0) return STRONG_BREAK.test(mark);
    return PUNCTUATION.test(ch) || (level === 2 && CJK.test(ch));
  }

  function breakPieces(text, level) {
    const chars = [...text];
    const pieces = [''];
    chars.forEach((ch, i) => {
      pieces[pieces.length - 1] += ch;
      if (breaksAfter(chars, i, level)) pieces.push('');
    });
    return pieces;
  }

  // The lines `text` takes in `room` units: broken at the most natural places that make every
  // line fit. Each line keeps its spaces, so that the lines together read as the text.
  function fitLines(measure, cls, text, room) {
    const fits = (line) => measure(cls, line.trim()) <= room;
    if (fits(text)) return [text];
    let lines = [text];
    for (let level = 0; level < BREAK_LEVELS; level += 1) {
      lines = [];
      breakPieces(text, level).forEach((piece) => {
        const last = lines.length - 1;
        if (last >= 0 && fits(lines[last] + piece)) lines[last] += piece;
        else lines.push(piece);
      });
      if (lines.every(fits)) break;
    }
    return lines;
  }

  // A text of one or more lines, the first at `attrs.y` and each next one LINE_HEIGHT below.
  function textLines(attrs, lines) {
    const text = svg('text', attrs);
    lines.forEach((line, i) => text.append(svg('tspan', { x: attrs.x, dy: i ? LINE_HEIGHT : 0 }, line)));
    return text;
  }

  // Where a quadrant or scatter chart's parts go at `width`: axis titles and quadrant names
  // broken into lines that fit, margins grown to hold them, and a band at the top and bottom of
  // the plotting area for the quadrant names, which the marks keep out of.
  function scatterLayout(spec, width, measure) {
    const yLines = fitLines(measure, 'chart-axis-title', axisTitle(spec.y), CHART_HEIGHT - MARGIN.top - MARGIN.bottom);
    // Between the vertical axis's title and its border: its numbers and its end labels.
    const yEnds = [spec.y.minLabel, spec.y.maxLabel].map((label) =>
      label ? fitLines(measure, 'chart-end-label', label, END_LABEL_ROOM) : []);
    const besideAxis = Math.max(measure('chart-tick', String(spec.y.max)),
      ...yEnds.flat().map((line) => measure('chart-end-label', line.trim())));
    const titleRight = 18 + LINE_HEIGHT * (yLines.length - 1) + 6;
    const left = Math.max(MARGIN.left, Math.ceil(titleRight + 6 + besideAxis + 10));
    const right = width - MARGIN.right;
    const middle = (left + right) / 2;
    const xLines = fitLines(measure, 'chart-axis-title', axisTitle(spec.x), 2 * Math.min(middle, width - middle) - 12);
    const bottom = CHART_HEIGHT - MARGIN.bottom - LINE_HEIGHT * (xLines.length - 1);
    const names = spec.type === 'quadrant' ? spec.quadrants || [] : [];
    const quadrants = names.map((name) => fitLines(measure, 'chart-quadrant', name, (right - left) / 2 - 16));
    const band = (pair) => {
      const lines = Math.max(0, ...pair.map((q) => q.length));
      return lines ? 8 + LINE_HEIGHT * lines : 0;
    };
    const topBand = band(quadrants.slice(0, 2));
    // Room above the highest number for the top end label's lines.
    const top = Math.max(MARGIN.top, 16 + LINE_HEIGHT * (yEnds[1].length - 1) - topBand);
    return { left, right, top, bottom, xLines, yLines, yEnds, quadrants,
      topBand, bottomBand: band(quadrants.slice(2, 4)) };
  }

  function drawTicks(group, axis, place, vertical, layout) {
    for (let v = axis.min; v <= axis.max; v += 1) {
      const at = place(v);
      const attrs = vertical
        ? { x: layout.left - 10, y: at + 4, 'text-anchor': 'end' }
        : { x: at, y: layout.bottom + 18, 'text-anchor': 'middle' };
      group.append(svg('text', Object.assign({ class: 'chart-tick' }, attrs), String(v)));
    }
    const ends = [[axis.min, axis.minLabel], [axis.max, axis.maxLabel]];
    ends.forEach(([v, label], i) => {
      if (!label) return;
      const at = place(v);
      const lines = vertical ? layout.yEnds[i] : [label];
      // Beside the vertical axis the top label stands above its number and the bottom one
      // below, clear of the numbers between.
      const attrs = vertical
        ? { x: layout.left - 10, y: v === axis.max ? at - 14 - LINE_HEIGHT * (lines.length - 1) : at + 20, 'text-anchor': 'end' }
        : { x: at, y: layout.bottom + 36, 'text-anchor': v === axis.min ? 'start' : 'end' };
      group.append(textLines(Object.assign({ class: 'chart-end-label' }, attrs), lines));
    });
  }

  // Rows with the same values would hide each other: later ones step around the first.
  function spread(points, placeX, placeY) {
    const seen = new Map();
    return points.map((p) => {
      const key = p.x + ',' + p.y;
      const n = seen.get(key) || 0;
      seen.set(key, n + 1);
      const angle = n * 2.4;
      const radius = n ? 9 + 3 * Math.floor(n / 6) : 0;
      return { point: p, cx: placeX(p.x) + radius * Math.cos(angle), cy: placeY(p.y) + radius * Math.sin(angle) };
    });
  }

  function drawQuadrantNames(frame, layout) {
    const { left, right, top, bottom } = layout;
    layout.quadrants.forEach((lines, i) => {
      const first = i < 2 ? top + 18 : bottom - 10 - LINE_HEIGHT * (lines.length - 1);
      const [x, anchor] = i % 2 ? [right - 8, 'end'] : [left + 8, 'start'];
      frame.append(textLines({ x: x, y: first, 'text-anchor': anchor, class: 'chart-quadrant', 'data-quadrant': i }, lines));
    });
  }

  function drawScatter(chart, spec, points, width, measure) {
    const layout = scatterLayout(spec, width, measure);
    const { left, right, top, bottom } = layout;
    // The highest and lowest values sit inside the border and clear of the quadrant names.
    const placeX = scaleTo(spec.x, left + PLOT_INSET, right - PLOT_INSET);
    const placeY = scaleTo(spec.y, bottom - layout.bottomBand - PLOT_INSET, top + layout.topBand + PLOT_INSET);
    const frame = svg('g', { class: 'chart-frame' });
    frame.append(svg('rect', { x: left, y: top, width: right - left, height: bottom - top, class: 'chart-area' }));
    if (spec.type === 'quadrant') {
      const midX = placeX((spec.x.min + spec.x.max) / 2);
      const midY = placeY((spec.y.min + spec.y.max) / 2);
      frame.append(svg('line', { x1: midX, y1: top, x2: midX, y2: bottom, class: 'chart-divider' }));
      frame.append(svg('line', { x1: left, y1: midY, x2: right, y2: midY, class: 'chart-divider' }));
      drawQuadrantNames(frame, layout);
    }
    drawTicks(frame, spec.x, placeX, false, layout);
    drawTicks(frame, spec.y, placeY, true, layout);
    const xTitleY = CHART_HEIGHT - 8 - LINE_HEIGHT * (layout.xLines.length - 1);
    frame.append(textLines({ x: (left + right) / 2, y: xTitleY, 'text-anchor': 'middle', class: 'chart-axis-title' }, layout.xLines));
    const yTitleX = 18;
    const yTitleY = (top + bottom) / 2;
    frame.append(textLines({ x: yTitleX, y: yTitleY, 'text-anchor': 'middle', class: 'chart-axis-title',
      transform: 'rotate(-90 ' + yTitleX + ' ' + yTitleY + ')' }, layout.yLines));
    chart.append(frame);
    const marks = svg('g', { class: 'chart-marks' });
    spread(points, placeX, placeY).forEach(({ point, cx, cy }) => {
      const mark = svg('g', { class: 'chart-mark chart-c' + (point.color < 0 ? 'x' : point.color % 6),
        'data-row': point.row, 'data-x': point.x, 'data-y': point.y });
      mark.append(svg('title', {}, point.label + t('label_separator') + spec.x.label + ' ' + point.x + t('clause_separator')
        + spec.y.label + ' ' + point.y + (point.colorValue ? t('clause_separator') + point.colorValue : '')));
      mark.append(svg('circle', { cx: cx.toFixed(1), cy: cy.toFixed(1), r: 7, class: 'chart-dot' }));
      // The label goes to the right of its dot, or to the left where the border is nearer.
      const anchor = cx + 11 + measure('chart-label', point.label) > right - 4 ? 'end' : 'start';
      mark.append(svg('text', { x: (cx + (anchor === 'end' ? -11 : 11)).toFixed(1), y: (cy + 4).toFixed(1),
        'text-anchor': anchor, class: 'chart-label' }, point.label));
      marks.append(mark);
    });
    chart.append(marks);
  }

  function drawBars(chart, spec, points, width, measure) {
    const left = MARGIN.left + 48;
    const right = width - MARGIN.right - 24;
    const placeX = scaleTo({ min: 0, max: spec.x.max }, left, right);
    const xLines = fitLines(measure, 'chart-axis-title', axisTitle(spec.x), width - 24);
    const height = MARGIN.top + points.length * BAR_ROW_HEIGHT + 40 + LINE_HEIGHT * (xLines.length - 1);
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    const bottom = MARGIN.top + points.length * BAR_ROW_HEIGHT;
    const frame = svg('g', { class: 'chart-frame' });
    frame.append(svg('line', { x1: left, y1: MARGIN.top - 4, x2: left, y2: bottom, class: 'chart-divider' }));
    const titleY = height - 8 - LINE_HEIGHT * (xLines.length - 1);
    frame.append(textLines({ x: width / 2, y: titleY, 'text-anchor': 'middle', class: 'chart-axis-title' }, xLines));
    chart.append(frame);
    const marks = svg('g', { class: 'chart-marks' });
    points.forEach((point, i) => {
      const y = MARGIN.top + i * BAR_ROW_HEIGHT;
      const width = placeX(point.x) - left;
      const mark = svg('g', { class: 'chart-mark chart-c' + (point.color < 0 ? 'x' : point.color % 6),
        'data-row': point.row, 'data-x': point.x });
      mark.append(svg('title', {}, point.label + t('label_separator') + spec.x.label + ' ' + point.x));
      mark.append(svg('text', { x: left - 8, y: y + 18, 'text-anchor': 'end', class: 'chart-label' }, point.label));
      mark.append(svg('rect', { x: left, y: y + 4, width: width.toFixed(1), height: BAR_ROW_HEIGHT - 10, class: 'chart-bar' }));
      mark.append(svg('text', { x: (left + width + 6).toFixed(1), y: y + 18, class: 'chart-tick' }, String(point.x)));
      marks.append(mark);
    });
    chart.append(marks);
  }

  function drawLegend(figure, spec) {
    let legend = figure.querySelector('.chart-legend');
    if (!spec.color) return;
    if (!legend) {
      legend = doc.createElement('ul');
      legend.className = 'chart-legend';
      figure.querySelector('figcaption').after(legend);
    }
    legend.replaceChildren(...spec.color.options.map((option, i) => {
      const li = doc.createElement('li');
      li.className = 'chart-c' + (i % 6);
      const swatch = doc.createElement('span');
      swatch.className = 'chart-swatch';
      swatch.setAttribute('aria-hidden', 'true');
      li.append(swatch, option);
      return li;
    }));
  }

  function fillTable(figure, spec, points) {
    const body = figure.querySelector('table.ws-chart-table tbody');
    if (!body) return;
    body.replaceChildren(...points.map((p) => {
      const tr = doc.createElement('tr');
      const cells = [spec.label ? p.label : null, p.x, spec.y ? p.y : null, spec.color ? p.colorValue : null];
      cells.filter((c) => c !== null).forEach((c) => {
        const td = doc.createElement('td');
        td.textContent = c;
        tr.append(td);
      });
      return tr;
    }));
  }

  let chartCount = 0;

  // Draws (or redraws) one chart figure from rows in the saved shape.
  function drawChart(figure, rows) {
    const spec = JSON.parse(figure.dataset.chart);
    const points = chartPoints(spec, rows);
    let chart = figure.querySelector('svg.chart');
    if (!chart) {
      chartCount += 1;
      chart = svg('svg', { class: 'chart chart-' + spec.type, role: 'img', 'aria-labelledby': 'chart-title-' + chartCount });
      chart.append(svg('title', { id: 'chart-title-' + chartCount }));
      figure.querySelector('figcaption').after(chart);
    }
    const title = chart.querySelector('title');
    chart.replaceChildren(title);
    chart.hidden = points.length === 0;
    const width = chartWidth(chart);
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + CHART_HEIGHT);
    title.textContent = spec.title + t('label_separator') + format(t('plan_chart_count'), { n: points.length });
    let empty = figure.querySelector('.chart-empty');
    if (!empty) {
      empty = doc.createElement('p');
      empty.className = 'chart-empty';
      chart.after(empty);
    }
    const needs = spec.y ? spec.x.label + t('md_list_separator') + spec.y.label : spec.x.label;
    empty.textContent = format(t('plan_chart_empty'), { needs: needs });
    empty.hidden = points.length > 0;
    figure.querySelector('table.ws-chart-table').hidden = points.length === 0;
    const measure = textMeasurer(chart);
    if (spec.type === 'bar') drawBars(chart, spec, points, width, measure);
    else drawScatter(chart, spec, points, width, measure);
    drawnCharts.set(figure, rows);
    drawLegend(figure, spec);
    fillTable(figure, spec, points);
    return points;
  }

  // Figures drawn so far, with the rows each was drawn from: drawn again when their width changes.
  const drawnCharts = new Map();

  function redrawChartsOnResize() {
    let pending = 0;
    addEventListener('resize', () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        drawnCharts.forEach((rows, figure) => {
          const chart = figure.querySelector('svg.chart');
          if (!figure.isConnected) drawnCharts.delete(figure);
          else if (chart && !chart.hidden && chartWidth(chart) !== chart.viewBox.baseVal.width) drawChart(figure, rows);
        });
      });
    });
  }

  // A chart figure for plan.html, built the way the worksheet page's markup is.
  function chartFigure(spec) {
    const figure = doc.createElement('figure');
    figure.className = 'ws-chart';
    figure.dataset.chart = JSON.stringify(spec);
    const caption = doc.createElement('figcaption');
    caption.textContent = spec.title;
    const table = doc.createElement('table');
    table.className = 'ws-chart-table';
    const head = table.createTHead().insertRow();
    [spec.label ? t('plan_name') : null, spec.x.label, spec.y ? spec.y.label : null, spec.color ? t('plan_kind') : null]
      .filter((c) => c !== null)
      .forEach((c) => {
        const th = doc.createElement('th');
        th.scope = 'col';
        th.textContent = c;
        head.append(th);
      });
    table.createTBody();
    figure.append(caption, table);
    return figure;
  }

  // Charts in worksheet forms follow the form as the reader types, adds and removes rows.
  function watchFormCharts() {
    doc.querySelectorAll('form.worksheet .field[data-type=rows] figure.ws-chart').forEach((figure) => {
      const rowsField = figure.closest('.field');
      let pending = 0;
      const redraw = () => {
        cancelAnimationFrame(pending);
        pending = requestAnimationFrame(() => drawChart(figure, rowsFromForm(rowsField)));
      };
      rowsField.addEventListener('input', redraw);
      rowsField.addEventListener('change', redraw);
      const body = rowsField.querySelector('table.ws-rows > tbody');
      if (body) new MutationObserver(redraw).observe(body, { childList: true });
      drawChart(figure, rowsFromForm(rowsField));
    });
  }

  // ---- dated steps and the calendar ----

  function firstText(row, texts) {
    for (const c of texts) if (!isBlank(row[c.id])) return String(row[c.id]).trim();
    return '';
  }

  // Every dated step of one worksheet's answers, in the order the worksheet asks for them.
  function stepsOf(worksheet, dates, fields) {
    const steps = [];
    dates.forEach((d) => {
      if (!d.column) {
        const date = fields[d.field];
        if (typeof date === 'string' && ISO_DATE.test(date)) {
          steps.push({ date: date, summary: d.label, description: '', worksheet: worksheet, key: d.field });
        }
        return;
      }
      const rows = Array.isArray(fields[d.field]) ? fields[d.field] : [];
      rows.forEach((row, index) => {
        const date = row && row[d.column];
        if (typeof date !== 'string' || !ISO_DATE.test(date)) return;
        const summary = firstText(row, d.texts) || d.columnLabel;
        const description = d.texts
          .filter((c) => !isBlank(row[c.id]) && String(row[c.id]).trim() !== summary)
          .map((c) => c.label + t('label_separator') + String(row[c.id]).trim())
          .join('\n');
        steps.push({ date: date, summary: summary, description: description, worksheet: worksheet,
          key: d.field + '-' + (index + 1) + '-' + d.column });
      });
    });
    return steps;
  }

  function byDate(a, b) {
    return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
  }

  // RFC 5545 text: backslash, semicolon, comma and newlines escaped.
  function icsText(value) {
    return String(value).replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
  }

  function utf8Length(char) {
    const code = char.codePointAt(0);
    return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }

  // Content lines are folded at 75 octets, never inside a character; continuations start with a space.
  function foldLine(line) {
    const parts = [];
    let current = '';
    let octets = 0;
    for (const char of line) {
      const size = utf8Length(char);
      if (octets + size > 75) {
        parts.push(current);
        current = ' ';
        octets = 1;
      }
      current += char;
      octets += size;
    }
    parts.push(current);
    return parts.join('\r\n');
  }

  function icsDate(iso) {
    return iso.replace(/-/g, '');
  }

  function nextDay(iso) {
    const d = new Date(iso + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }

  function uidPart(text) {
    return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
  }

  // One all-day VEVENT per step; the UID depends on book, worksheet and field/row, so importing
  // again updates the events instead of adding them twice.
  function calendarText(steps, now) {
    const stamp = (now || new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//guidebook//' + uidPart(BOOK) + ' plan//ZH', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
    steps.forEach((step) => {
      const description = [step.description, t('plan_from') + step.worksheet.title]
        .filter(Boolean)
        .join('\n');
      lines.push('BEGIN:VEVENT',
        'UID:' + [BOOK, step.worksheet.id, step.key].map(uidPart).join('.') + '@guidebook',
        'DTSTAMP:' + stamp,
        'DTSTART;VALUE=DATE:' + icsDate(step.date),
        'DTEND;VALUE=DATE:' + icsDate(nextDay(step.date)),
        'SUMMARY:' + icsText(step.summary),
        'DESCRIPTION:' + icsText(description),
        'END:VEVENT');
    });
    lines.push('END:VCALENDAR');
    return lines.map(foldLine).join('\r\n') + '\r\n';
  }

  function download(name, text) {
    const link = doc.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'text/calendar;charset=utf-8' }));
    link.download = name;
    doc.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  // The title: the form's own heading where it is embedded, its label on its own page (whose
  // <h1> is the title).
  function formWorksheet(form) {
    const heading = form.querySelector('header > h2, header > h3, header > h4, header > h5, header > h6');
    const title = heading ? heading.textContent.trim() : form.getAttribute('aria-label');
    return { id: form.dataset.worksheet, title: title || form.dataset.worksheet };
  }

  function formSteps(form) {
    return stepsOf(formWorksheet(form), datesFromForm(form), fieldsFromForm(form)).sort(byDate);
  }

  // Worksheets with dates get their own calendar button, beside the form's title.
  function addFormCalendarButtons() {
    doc.querySelectorAll('form.worksheet').forEach((form) => {
      if (!datesFromForm(form).length || form.querySelector('.ws-calendar')) return;
      const button = doc.createElement('button');
      button.type = 'button';
      button.className = 'ws-calendar';
      button.textContent = t('plan_calendar');
      button.addEventListener('click', () => {
        const steps = formSteps(form);
        if (!steps.length) {
          alert(t('plan_no_dates'));
          return;
        }
        download(form.dataset.worksheet + '.ics', calendarText(steps));
      });
      const header = form.querySelector('header');
      const paragraph = doc.createElement('p');
      paragraph.className = 'ws-calendar-bar';
      paragraph.append(button);
      (header || form).append(paragraph);
    });
  }

  // ---- the plan page ----

  function element(tag, className, text) {
    const e = doc.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  function link(href, text) {
    const a = element('a', '', text);
    a.href = (doc.documentElement.dataset.root || '') + href;
    return a;
  }

  function emptyState(parts) {
    const p = element('p', 'plan-empty');
    parts.forEach((part) => p.append(part));
    return p;
  }

  function planSteps(data) {
    return data.worksheets
      .flatMap((w) => stepsOf(w, w.dates, savedFields(w.id)))
      .sort(byDate);
  }

  function renderCharts(box, data) {
    const figures = [];
    data.worksheets.forEach((w) => {
      const fields = savedFields(w.id);
      w.charts.forEach((spec) => {
        const rows = fields[spec.field];
        if (!chartPoints(spec, rows).length) return;
        const figure = chartFigure(spec);
        const source = element('p', 'plan-source');
        source.append(t('plan_from'), link(w.page, w.title));
        figure.append(source);
        figures.push([figure, rows]);
      });
    });
    if (!figures.length) {
      const withChart = data.worksheets.find((w) => w.charts.length);
      box.replaceChildren(withChart
        ? emptyState([t('plan_charts_empty'), link(withChart.page, withChart.title),
          t('plan_charts_empty_after')])
        : emptyState([t('plan_charts_none')]));
      return;
    }
    box.replaceChildren(...figures.map(([f]) => f));
    figures.forEach(([figure, rows]) => drawChart(figure, rows));
  }

  function renderSteps(box, data, steps) {
    if (!steps.length) {
      const dated = data.worksheets.find((w) => w.dates.length);
      box.replaceChildren(dated
        ? emptyState([t('plan_steps_empty'), link(dated.page, dated.title),
          t('plan_steps_empty_after')])
        : emptyState([t('plan_steps_none')]));
      return;
    }
    const list = element('ol', 'plan-steps');
    steps.forEach((step) => {
      const item = element('li', 'plan-step');
      const time = element('time', 'plan-date', step.date);
      time.dateTime = step.date;
      const what = element('span', 'plan-summary', step.summary);
      const from = element('span', 'plan-source');
      from.append(link(step.worksheet.page, step.worksheet.title));
      item.append(time, ' ', what, ' ', from);
      if (step.description) item.append(element('span', 'plan-description', step.description));
      list.append(item);
    });
    box.replaceChildren(list);
  }

  function renderChecklists(box, data) {
    const checks = readStored('checks');
    const groups = [];
    let total = 0;
    data.chapters.forEach((chapter) => {
      const open = [];
      chapter.checklists.forEach((list) => {
        const ticked = checks[list.scope] || {};
        total += list.items.length;
        list.items.filter((item) => !ticked[item.id]).forEach((item) => open.push(item));
      });
      if (!open.length) return;
      const group = element('section', 'plan-chapter');
      const heading = element('h3');
      heading.append(link(chapter.path, (chapter.number ? chapter.number + ' ' : '') + chapter.title));
      const list = element('ul', 'plan-open-items');
      open.forEach((item) => list.append(element('li', '', item.text)));
      group.append(heading, list);
      groups.push(group);
    });
    if (groups.length) box.replaceChildren(...groups);
    else if (total) box.replaceChildren(emptyState([t('plan_checklists_done')]));
    else box.replaceChildren(emptyState([t('plan_checklists_none')]));
  }

  function renderProgress(box, data) {
    const read = readStored('read');
    const numbered = data.chapters.filter((c) => c.number);
    const parts = [];
    numbered.forEach((c) => {
      const name = c.part || t('plan_no_part');
      let part = parts.find((p) => p.name === name);
      if (!part) parts.push((part = { name: name, chapters: [] }));
      part.chapters.push(c);
    });
    const list = element('ul', 'plan-parts');
    parts.forEach((part) => {
      const done = part.chapters.filter((c) => read[readKey(c.path)]).length;
      const item = element('li', 'plan-part');
      const meter = element('progress');
      meter.max = part.chapters.length;
      meter.value = done;
      meter.setAttribute('aria-label', part.name);
      item.append(element('span', 'plan-part-name', part.name), ' ',
        element('strong', 'plan-part-count', done + '/' + part.chapters.length), ' ', meter);
      list.append(item);
    });
    const children = [list];
    if (!numbered.some((c) => read[readKey(c.path)]) && numbered.length) {
      children.unshift(emptyState([t('plan_progress_empty'), link(numbered[0].path, numbered[0].title),
        t('plan_progress_empty_after')]));
    }
    box.replaceChildren(...children);
  }

  let planData = null;

  function renderPlan() {
    const page = doc.getElementById('plan');
    if (!page || !planData) return;
    const body = (id) => page.querySelector('#' + id + ' .plan-body');
    const steps = planSteps(planData);
    renderCharts(body('plan-charts'), planData);
    renderSteps(body('plan-steps'), planData, steps);
    renderChecklists(body('plan-checklists'), planData);
    renderProgress(body('plan-progress'), planData);
    page.dataset.ready = 'true';
  }

  function planCalendar() {
    return calendarText(planData ? planSteps(planData) : []);
  }

  function startPlanPage() {
    const page = doc.getElementById('plan');
    if (!page) return;
    page.addEventListener('click', (event) => {
      const action = event.target.closest('[data-plan-action]');
      if (!action) return;
      if (action.dataset.planAction === 'print') window.print();
      if (action.dataset.planAction === 'ics') {
        if (!planData || !planSteps(planData).length) {
          alert(t('plan_no_dates_anywhere'));
          return;
        }
        download(BOOK + '-plan.ics', planCalendar());
      }
    });
    // A script tag, not fetch: it works from file:// too.
    const script = doc.createElement('script');
    script.src = page.dataset.planData;
    script.onload = () => {
      planData = window.GUIDEBOOK_PLAN || null;
      renderPlan();
    };
    script.onerror = () => {
      page.querySelectorAll('.plan-body').forEach((b) => b.replaceChildren(emptyState([t('plan_load_failed')])));
    };
    doc.head.append(script);
    // Another tab saving answers updates this page.
    window.addEventListener('storage', (event) => {
      if (event.key && event.key.startsWith(STORAGE_PREFIX)) renderPlan();
    });
  }

  window.guidebook = window.guidebook || {};
  window.guidebook.plan = {
    t: t,
    chartPoints: chartPoints,
    drawChart: drawChart,
    stepsOf: stepsOf,
    formSteps: formSteps,
    calendarText: calendarText,
    planCalendar: planCalendar,
    formCalendar: (form) => calendarText(formSteps(form)),
    renderPlan: renderPlan,
  };

  watchFormCharts();
  redrawChartsOnResize();
  addFormCalendarButtons();
  startPlanPage();
})();
