"""What a visit to a page of the built book measures in the page (JavaScript probes).

``test_browser.py`` runs both on every page at 1280 px wide, in its one visit per page;
``test_phone_view.py`` runs :data:`FIT_JS` again at a phone's width.
"""

from __future__ import annotations

#: The longest code line the article column holds at 1280 px (tools/sphinxext/static/
#: acttutor.css sizes the column and the code font for it); the notebooks' code is
#: formatted to this length.
CODE_LINE_LENGTH = 88

# Everything one visit records, computed in the page after it has settled.
PAGE_JS = """() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const imgs = [...article.querySelectorAll('img')].map(i => ({
    src: i.getAttribute('src'), alt: i.getAttribute('alt'),
    complete: i.complete, width: i.naturalWidth,
    output: !!i.closest('.cell_output')}));
  const outputs = [...document.querySelectorAll('.cell_output')].map(e => e.innerText);
  const code = [...document.querySelectorAll('.cell_input div.highlight pre')];
  const abs = sel => { const a = document.querySelector(sel); return a ? a.href : null; };
  return {
    title: document.title,
    images: imgs,
    math: document.querySelectorAll('.math').length,
    mathjax: document.querySelectorAll('mjx-container').length,
    math_errors: document.querySelectorAll('mjx-merror').length,
    outputs: outputs,
    stderr_outputs: document.querySelectorAll('.output.stderr').length,
    error_outputs: document.querySelectorAll('.output.error, .output.traceback').length,
    input_blocks: code.length,
    input_copy_buttons: code.filter(pre => pre.parentElement.querySelector('.copybtn')).length,
    // Printed text gets no copy button; code shown in an HTML output (a solution) may.
    output_copy_buttons: document.querySelectorAll(
      '.cell_output .output:not(.text_html) .copybtn').length,
    next: abs('a.right-next'), prev: abs('a.left-prev'),
    colab: [...document.querySelectorAll('a[href*="colab.research.google.com"]')].map(a => a.href),
    downloads: [...document.querySelectorAll('a[href$=".ipynb"]')].map(a => a.href)
      .filter(h => h.startsWith(location.origin)),
  };
}"""

# What does not fit, measured in the page: every visible <pre> (code cell, output, other
# text) and table in the article, whether it scrolls sideways or reaches past the column,
# and whether the page as a whole scrolls sideways. `probe` puts a code line of the given
# length into a code cell and says whether it fits.
FIT_JS = """(probe) => {
  const article = document.querySelector('article.bd-article');
  if (!article) { return null; }
  const style = getComputedStyle(article);
  const box = article.getBoundingClientRect();
  const left = box.left + parseFloat(style.paddingLeft) - 1;
  const right = box.right - parseFloat(style.paddingRight) + 1;
  const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const where = e => {
    const section = e.closest('section[id]');
    return section ? '#' + section.id : '';
  };
  const blocks = [...article.querySelectorAll('pre')].filter(visible).map(pre => {
    const r = pre.getBoundingClientRect();
    return {
      kind: pre.closest('.cell_input') ? 'code' : pre.closest('.cell_output') ? 'output' : 'text',
      scrolls: pre.scrollWidth > pre.clientWidth + 1,
      clipped: r.left < left || r.right > right,
      longest: Math.max(0, ...pre.innerText.split('\\n').map(line => line.length)),
      where: where(pre),
    };
  });
  const tables = [...article.querySelectorAll('table')].filter(visible).map(table => {
    const holder = table.parentElement;
    const r = holder.getBoundingClientRect();
    return {
      scrolls: holder.scrollWidth > holder.clientWidth + 1
        || table.scrollWidth > table.clientWidth + 1,
      clipped: r.left < left || r.right > right,
      width: Math.round(table.getBoundingClientRect().width),
      where: where(table),
    };
  });
  let fits = null;
  const cell = article.querySelector('.cell_input div.highlight pre');
  if (cell && probe) {
    const copy = cell.cloneNode(false);
    copy.textContent = 'x'.repeat(probe - 1) + '#';
    cell.parentElement.appendChild(copy);
    fits = copy.scrollWidth <= copy.clientWidth;
    copy.remove();
  }
  return {blocks, tables, fits, column: Math.round(right - left),
          pageScrolls: document.documentElement.scrollWidth > window.innerWidth};
}"""
