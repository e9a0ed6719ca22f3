import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { escapeHtml, html, SafeHtml } from '../../../lib/status/http/html.js';
import { PAGE_CLIENT_ROWS, renderStatusPage } from '../../../lib/status/http/status-page.js';
import { STATUS_PAGE_CSP } from '../../../lib/status/http/status-page-style.js';
import { client, procedure, report } from './status-fixture.js';

const NOW = new Date('2025-01-02T03:05:00.000Z');
const render = (data = report(), refreshSeconds = 5) =>
  renderStatusPage(data, { refreshSeconds }, NOW);

/** The page's text without its markup, as a reader sees it (entities decoded). */
function visibleText(page: string): string {
  return page
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('escapeHtml and html', () => {
  it('escapes the five characters markup is made of', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('never lets a string out of text or a quoted attribute, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        // Every & starts one of our entities, so decoding gives the text back.
        const decoded = escaped.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => {
          return { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' }[e]!;
        });
        expect(decoded).toBe(text);
      }),
    );
  });

  it('escapes interpolations, keeps nested templates, and drops null, undefined and false', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${'<x>'}${inner}${null}${undefined}${false}${[1, '&', inner]}</p>`.text).toBe(
      '<p>&lt;x&gt;<b>&lt;i&gt;</b>1&amp;<b>&lt;i&gt;</b></p>',
    );
    expect(html`${new SafeHtml('<hr>')}`.text).toBe('<hr>');
  });
});

describe('renderStatusPage', () => {
  it('shows the server, the counters, every procedure with its percentiles, and the clients', () => {
    const text = visibleText(render());
    expect(text).toContain('nestjs-mysql-rpc listening');
    expect(text).toContain('127.0.0.1:3308');
    expect(text).toContain('up 3h 4m');
    expect(text).toContain('8.0.36-nestjs-mysql-rpc');
    expect(text).toMatch(
      /procedure calls ok failed timed out killed calls\/s mean ms p50 ms p95 ms p99 ms max ms/,
    );
    expect(text).toMatch(/myadd 1,000 980 20 0 0 16\.7 0\.420 0\.310 1\.25 4\.50 12\.8/);
    expect(text).toMatch(/whoami 234 224 10 0 0 3\.9/);
    // Never called: named on one line, not a row of zeros.
    expect(text).toContain('Not called yet (1): idle');
    expect(text).toContain('Procedures (3)');
    expect(text).toContain('Online clients (2)');
    expect(text).toMatch(/1 testuser 'testuser'@'%' 127\.0\.0\.1:40001 rpc .* call myadd\(1, 2\)/);
    expect(text).toContain('1,234 in all');
    expect(text).toContain('7.3 MiB out');
    expect(text).toMatch(/max packet 64\.0 MiB/);
    expect(text).toMatch(/idle timeout 8 h/);
  });

  it('escapes every value a client or a handler chose: names, SQL text, addresses', () => {
    const evil = `<script>alert("x")</script><img src=x onerror='alert(1)'>&amp;`;
    const page = render(
      report({
        procedures: [procedure(evil, 1)],
        clients: [
          {
            ...client(7, evil, `call p('${evil}')`),
            account: evil,
            database: evil,
            lastCall: evil,
            state: evil,
            command: evil,
          },
        ],
        server: { ...report().server, listening: [evil], mysqlVersion: evil, nestVersion: evil },
      }),
    );
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toMatch(/title="[^"]*'/);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // The text reads as it was given, ampersands included.
    expect(visibleText(page)).toContain(evil);
  });

  it('lists at most PAGE_CLIENT_ROWS clients, says how many more, and shortens long statements', () => {
    const many = Array.from({ length: PAGE_CLIENT_ROWS + 25 }, (_, i) =>
      client(i + 1, 'u', `call p('${'x'.repeat(1000)}')`),
    );
    const page = render(report({ clients: many }));
    expect(page.match(/<td class="l sql"/g)).toHaveLength(PAGE_CLIENT_ROWS);
    expect(visibleText(page)).toContain(`Online clients (${PAGE_CLIENT_ROWS + 25})`);
    expect(visibleText(page)).toContain('and 25 more: see status.json');
    expect(page).not.toContain('x'.repeat(300));
    expect(page).toContain('x'.repeat(150) + '…');
  });

  it('says so when there are no procedures, no calls or no clients', () => {
    const text = visibleText(render(report({ procedures: [], clients: [] })));
    expect(text).toContain('No procedures registered.');
    expect(text).toContain('No clients connected.');
    const idle = visibleText(
      render(report({ procedures: [procedure('a', 0), procedure('b', 0)] })),
    );
    expect(idle).toContain('No calls yet. Not called yet (2): a, b');
  });

  it('shows no durations for a procedure whose only call is still running', () => {
    const running = { ...procedure('slow', 1), ok: 0, meanMs: 0, p50Ms: 0 };
    const text = visibleText(render(report({ procedures: [running] })));
    expect(text).toMatch(/slow 1 0 0 0 0 0\.02 – – – – –/);
  });

  it('reloads itself by a meta refresh only when asked to', () => {
    expect(render(report(), 7)).toContain('<meta http-equiv="refresh" content="7" />');
    expect(render(report(), 0)).not.toContain('http-equiv="refresh"');
  });

  it('runs no script and has one style sheet, the one its CSP allows by hash', () => {
    const page = render();
    expect(page).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
    expect(page).not.toMatch(/\sstyle=/);
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)];
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256').update(styles[0]![1]!).digest('base64');
    expect(STATUS_PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(STATUS_PAGE_CSP).toContain("default-src 'none'");
    expect(page.startsWith('<!doctype html>')).toBe(true);
  });
});
