// The script of the HTML timeline, inlined into the page (no network, no framework): zoom with the
// wheel or the buttons, drag to pan, hover to read an event, and `#from=A&to=B` in the address to
// open a view (a link to a moment of a run, and how the browser test opens a zoomed view). It
// moves the elements timelineSvg drew by their data-t/data-t2 times and redraws the axis with
// the ticks of axis.ts. Plain ES2017, so any browser of the last years runs it.

export const TIMELINE_SCRIPT = String.raw`(function () {
  'use strict';
  var svg = document.getElementById('timeline');
  var NS = 'http://www.w3.org/2000/svg';
  var left = Number(svg.dataset.left), width = Number(svg.dataset.plotWidth);
  var from0 = Number(svg.dataset.from), to0 = Number(svg.dataset.to), originUs = Number(svg.dataset.originUs);
  var MIN_SPAN_S = 0.01;
  var view = { from: from0, to: to0 };
  var items = Array.prototype.slice.call(svg.querySelectorAll('.t'));
  var tip = document.getElementById('tip'), readout = document.getElementById('view');
  var axis = document.getElementById('axis'), axisY = Number(axis.dataset.y);

  // A <title> is the static file's hover text; here the page shows it in its own box at once.
  svg.querySelectorAll('title').forEach(function (t) {
    t.parentNode.setAttribute('data-tip', t.textContent);
    t.parentNode.removeChild(t);
  });

  function x(t) { return left + ((t - view.from) / (view.to - view.from)) * width; }
  function timeAt(clientX) {
    var box = svg.getBoundingClientRect();
    var scale = box.width > 0 ? svg.viewBox.baseVal.width / box.width : 1;
    return view.from + (((clientX - box.left) * scale - left) / width) * (view.to - view.from);
  }
  function clock(tS) {
    var cs = Math.floor((originUs + tS * 1e6) / 1e4);
    var two = function (n) { return String(n).padStart(2, '0'); };
    return two(Math.floor(cs / 360000) % 24) + ':' + two(Math.floor(cs / 6000) % 60) + ':' + two(Math.floor(cs / 100) % 60) + '.' + two(cs % 100);
  }
  function ticks(a, b) {
    var raw = (b - a) / Math.max(1, width / 80);
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / power;
    var step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
    var decimals = Math.max(0, -Math.floor(Math.log10(step)));
    var out = [];
    for (var i = Math.ceil(a / step - 1e-9); i * step <= b + 1e-9; i++) out.push(Number((i * step).toFixed(decimals)).toFixed(decimals).replace(/^-(0\.?0*)$/, '$1'));
    return out;
  }
  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function drawAxis() {
    while (axis.firstChild) axis.removeChild(axis.firstChild);
    axis.appendChild(el('line', { x1: left, y1: axisY, x2: left + width, y2: axisY, stroke: '#000000' }));
    ticks(view.from, view.to).forEach(function (label) {
      var tx = Math.round(x(Number(label)));
      axis.appendChild(el('line', { x1: tx, y1: axisY, x2: tx, y2: axisY + 4, stroke: '#000000' }));
      axis.appendChild(el('text', { x: tx, y: axisY + 16, 'text-anchor': 'middle', 'font-size': 10 }, label));
    });
    axis.appendChild(el('text', { x: left + width / 2, y: axisY + 36, 'text-anchor': 'middle' }, 'seconds after the first tick (t = 0)'));
  }
  function layout() {
    items.forEach(function (e) {
      var t = Number(e.dataset.t), px = Math.round(x(t));
      if (e.tagName === 'circle') e.setAttribute('cx', px);
      else if (e.tagName === 'text') e.setAttribute('x', px + 4);
      else if (e.dataset.t2 !== undefined) {
        var px2 = Math.round(x(Number(e.dataset.t2)));
        e.setAttribute('x', Math.max(left - 2, px));
        e.setAttribute('width', Math.max(1, Math.min(left + width + 2, px2) - Math.max(left - 2, px)));
      } else e.setAttribute('x', px - 1);
    });
    drawAxis();
    readout.textContent = 'showing t = ' + view.from.toFixed(2) + ' to ' + view.to.toFixed(2) + ' s (' + clock(view.from) + ' to ' + clock(view.to) + ' UTC)';
  }
  function show(from, to) {
    var span = Math.min(to0 - from0, Math.max(MIN_SPAN_S, to - from));
    from = Math.min(Math.max(from0, from), to0 - span);
    view = { from: from, to: from + span };
    layout();
  }
  function zoom(factor, atS) {
    show(atS - (atS - view.from) * factor, atS - (atS - view.from) * factor + (view.to - view.from) * factor);
  }
  function centre() { return (view.from + view.to) / 2; }

  // A notch (100 pixels, or 3 lines) zooms by 1.25; the factor follows the wheel's delta, so that
  // wheel events a busy browser coalesced into one zoom as far as they would have one by one.
  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    zoom(Math.pow(1.25, e.deltaY / (e.deltaMode === 1 ? 3 : 100)), timeAt(e.clientX));
  }, { passive: false });
  var drag = null;
  svg.addEventListener('pointerdown', function (e) { drag = { x: e.clientX, from: view.from, to: view.to }; });
  window.addEventListener('pointerup', function () { drag = null; });
  window.addEventListener('pointermove', function (e) {
    if (drag === null) return;
    var box = svg.getBoundingClientRect();
    var dS = ((e.clientX - drag.x) * (box.width > 0 ? svg.viewBox.baseVal.width / box.width : 1) / width) * (drag.to - drag.from);
    show(drag.from - dS, drag.to - dS);
  });
  svg.addEventListener('mouseover', function (e) {
    var text = e.target.getAttribute && e.target.getAttribute('data-tip');
    if (!text) return;
    tip.textContent = text;
    tip.style.left = (e.pageX + 14) + 'px';
    tip.style.top = (e.pageY + 14) + 'px';
    tip.hidden = false;
  });
  svg.addEventListener('mouseout', function () { tip.hidden = true; });
  var buttons = { 'zoom-in': function () { zoom(0.5, centre()); }, 'zoom-out': function () { zoom(2, centre()); },
    'pan-left': function () { var d = (view.to - view.from) / 4; show(view.from - d, view.to - d); },
    'pan-right': function () { var d = (view.to - view.from) / 4; show(view.from + d, view.to + d); },
    'reset': function () { show(from0, to0); } };
  Object.keys(buttons).forEach(function (id) { document.getElementById(id).addEventListener('click', buttons[id]); });

  var hash = /from=(-?[0-9.]+)&to=(-?[0-9.]+)/.exec(location.hash);
  if (hash !== null) show(Number(hash[1]), Number(hash[2]));
  else layout();
  document.body.setAttribute('data-ready', 'yes');
})();
`;
