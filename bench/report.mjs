// Turns the per-round samples into bench/RESULTS.md (tables of medians and
// ratios) and bench/results.svg (a bar chart of the ratios, hand-written SVG
// so the README can embed it without any chart library). Both are generated
// and overwritten on every run (in BENCH_OUTPUT instead when it is set).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

export function machineInfo(extra) {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    ...extra,
  };
}

const median = (values) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

/** Medians of every metric over the rounds (each metric on its own). */
function summarize(rounds) {
  const qps = rounds.map((r) => r.qps);
  return {
    rounds: rounds.length,
    qps: median(qps),
    qpsMin: Math.min(...qps),
    qpsMax: Math.max(...qps),
    p50us: median(rounds.map((r) => r.p50us)),
    p99us: median(rounds.map((r) => r.p99us)),
    cpuUsPerCall: median(rounds.map((r) => r.cpuUsPerCall)),
    peakRssKiB: median(rounds.map((r) => r.peakRssKiB)),
  };
}

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const fmtUs = (n) =>
  Number.isFinite(n) ? (n < 100 ? n.toFixed(1) : Math.round(n).toString()) : '–';
const fmtMiB = (kib) => (Number.isFinite(kib) ? (kib / 1024).toFixed(1) : '–');
const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '–');
const fmtK = (n) => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n)}`);
const plural = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
/** Latency in µs with thousands separators: stalls under load run to six digits. */
const fmtLat = (n) => (Number.isFinite(n) && n >= 1000 ? fmtInt(n) : fmtUs(n));
const peerCell = (peer) => (peer.id === 'ours' ? `**${peer.label}**` : peer.label);

/** The issue's goal for streaming: ours >= 0.8x MariaDB's rows/s, < 64 MiB RSS growth. */
export const STREAM_GOAL = { ratio: 0.8, growthMiB: 64 };

/** Fairness rows: myadd alone and under load, medians over rounds; ours first. */
function fairnessRows(scenario, peers, samples) {
  const rows = [];
  for (const peer of peers) {
    const rounds = samples.get(`${scenario.id}|client|${peer.id}`);
    if (!rounds?.length) continue;
    const of = (half, metric) => median(rounds.map((r) => r[half][metric]));
    rows.push({
      peer,
      rounds: rounds.length,
      alone: { p50us: of('alone', 'p50us'), p99us: of('alone', 'p99us'), qps: of('alone', 'qps') },
      loaded: {
        p50us: of('loaded', 'p50us'),
        p99us: of('loaded', 'p99us'),
        maxUs: of('loaded', 'maxUs'),
        qps: of('loaded', 'qps'),
        calls: of('loaded', 'calls'),
        peakRssKiB: of('loaded', 'peakRssKiB'),
      },
      seriesPerSecond: median(rounds.map((r) => r.load.callsPerSecond)),
      seriesMs: median(rounds.map((r) => r.load.medianCallMs)),
    });
  }
  const ours = rows.find((r) => r.peer.id === 'ours');
  for (const r of rows) {
    // ours ÷ peer of myadd calls/s under load (1 ÷ mean latency): > 1 is better for us.
    r.ratio = r.peer.id === 'ours' || !ours ? NaN : ours.loaded.qps / r.loaded.qps;
  }
  return rows;
}

/** Streaming rows: medians over rounds; ours first. */
function streamRows(scenario, peers, samples) {
  const rows = [];
  for (const peer of peers) {
    const rounds = samples.get(`${scenario.id}|client|${peer.id}`);
    if (!rounds?.length) continue;
    const of = (metric) => median(rounds.map((r) => r[metric]));
    const rate = rounds.map((r) => r.rowsPerSecond);
    rows.push({
      peer,
      rounds: rounds.length,
      rowsPerSecond: of('rowsPerSecond'),
      rateMin: Math.min(...rate),
      rateMax: Math.max(...rate),
      seconds: of('seconds'),
      firstRowMs: of('firstRowMs'),
      serverCpuSeconds: of('serverCpuSeconds'),
      rssBeforeKiB: of('rssBeforeKiB'),
      rssGrowthKiB: of('rssGrowthKiB'),
    });
  }
  const ours = rows.find((r) => r.peer.id === 'ours');
  for (const r of rows) {
    r.ratio = r.peer.id === 'ours' || !ours ? NaN : ours.rowsPerSecond / r.rowsPerSecond;
  }
  return rows;
}

function fairnessTable(scenario, peers, samples, config) {
  const lines = [
    `myadd (mysql2, sequential) for ${config.fairnessSeconds} s alone, then ${config.fairnessSeconds} s ` +
      `while a second connection sends \`CALL series(${config.seriesRows})\` (${config.seriesRows.toLocaleString('en-US')} rows ` +
      'of 6 columns) back to back, read by a raw-protocol client that checks the row count and ' +
      'parses nothing else (bench/load/drain.mjs). A server that encodes a big result in one ' +
      'synchronous pass makes the other connection wait for all of it.',
    '',
    '| peer | alone p50 µs | alone p99 µs | under load p50 µs | under load p99 µs | under load max µs | myadd calls/s alone | myadd calls/s under load | `series` calls/s (median ms) | peak RSS MiB under load | ours ÷ peer |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of fairnessRows(scenario, peers, samples)) {
    lines.push(
      `| ${peerCell(r.peer)} | ${fmtLat(r.alone.p50us)} | ${fmtLat(r.alone.p99us)} | ` +
        `${fmtLat(r.loaded.p50us)} | ${fmtLat(r.loaded.p99us)} | ${fmtLat(r.loaded.maxUs)} | ` +
        `${fmtInt(r.alone.qps)} | ${fmtInt(r.loaded.qps)} | ` +
        `${r.seriesPerSecond.toFixed(2)} (${fmtInt(r.seriesMs)}) | ${fmtMiB(r.loaded.peakRssKiB)} | ` +
        `${r.peer.id === 'ours' ? '' : fmtRatio(r.ratio)} |`,
    );
  }
  lines.push(
    '',
    '"ours ÷ peer" here is our myadd calls/s under load over the peer\'s (the inverse of the ' +
      'mean latency): above 1 our other connections wait less.',
    '',
  );
  return lines;
}

function streamTable(scenario, peers, samples, config) {
  const rows = streamRows(scenario, peers, samples);
  const lines = [
    `One \`CALL numbers(${config.streamRows})\` per measurement (id BIGINT, label VARCHAR, value ` +
      'DOUBLE, at DATETIME(3)), read by mysql2 one row at a time from its `result` event ' +
      '(no callback: the client keeps no rows); count, first and last row checked. ' +
      `${plural(config.streamRounds, 'interleaved round')} after one discarded call of a tenth of the rows. ` +
      "RSS growth is the server's VmHWM after the call minus its VmRSS before it.",
    '',
    '| peer | load generator | rows/s | rows/s range | s per call | first row ms | server CPU s/call | RSS before MiB | peak RSS growth MiB | ours ÷ peer |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${peerCell(r.peer)} | mysql2 | ${fmtInt(r.rowsPerSecond)} | ${fmtInt(r.rateMin)}–${fmtInt(r.rateMax)} | ` +
        `${r.seconds.toFixed(2)} | ${fmtInt(r.firstRowMs)} | ${r.serverCpuSeconds.toFixed(2)} | ` +
        `${fmtMiB(r.rssBeforeKiB)} | ${fmtMiB(r.rssGrowthKiB)} | ` +
        `${r.peer.id === 'ours' ? '' : fmtRatio(r.ratio)} |`,
    );
  }
  const ours = rows.find((r) => r.peer.id === 'ours');
  const maria = rows.find((r) => r.peer.id === 'mariadb');
  lines.push('');
  if (ours && maria) {
    const growthMiB = ours.rssGrowthKiB / 1024;
    const met = maria.ratio >= STREAM_GOAL.ratio && growthMiB < STREAM_GOAL.growthMiB;
    lines.push(
      `Goal: ours ≥ ${STREAM_GOAL.ratio}× MariaDB's rows/s with < ${STREAM_GOAL.growthMiB} MiB ` +
        `server RSS growth: **${met ? 'met' : 'not met'}** (${fmtRatio(maria.ratio)}, ` +
        `+${growthMiB.toFixed(1)} MiB).`,
      '',
    );
  }
  return lines;
}

/** Short peer names for chart labels of the connect scenario. */
const SHORT_PEER = { 'nest-tcp': 'Nest TCP', canned: 'canned', mariadb: 'MariaDB' };

/**
 * Rows of the connect scenario, medians over rounds: per client count, Node
 * clients then mariadb-slap, every peer's `connect` rows in order. A peer's
 * row carries `ratios`: ours's qps ÷ its qps for each of our rows it is
 * compared with (its `versus`), same load generator and client count.
 */
function connectRows(scenario, peers, samples, config) {
  const rows = [];
  for (const clients of config.connectClients) {
    for (const generator of ['client', 'slap']) {
      const group = [];
      for (const peer of peers) {
        for (const row of peer.connect ?? []) {
          const rounds = samples.get(`${scenario.id}|${generator}|${peer.id}|${row.id}|${clients}`);
          if (!rounds?.length) continue;
          group.push({
            peer,
            row,
            generator,
            clients,
            label:
              generator === 'slap'
                ? 'mariadb-slap --detach=1'
                : peer.client === 'nest-tcp'
                  ? 'Nest ClientProxy per call'
                  : row.tls
                    ? 'mysql2, TLS'
                    : 'mysql2',
            ...summarize(rounds),
          });
        }
      }
      const ours = (id) => group.find((r) => r.peer.id === 'ours' && r.row.id === id);
      for (const r of group) {
        r.ratios =
          r.peer.id === 'ours'
            ? []
            : (r.row.versus ?? [])
                .map((id) => ours(id))
                .filter(Boolean)
                .map((o) => ({ versus: o.row, ratio: o.qps / r.qps }));
      }
      rows.push(...group);
    }
  }
  return rows;
}

const ratioCell = (ratios) =>
  ratios.map((x) => `${fmtRatio(x.ratio)} (${x.versus.short})`).join(', ');

function connectTable(scenario, peers, samples, config) {
  const lines = [
    'Each client loops: open a TCP connection, log in (database `rpc`), `CALL myadd(1,2)` ' +
      '(sum 3, checked on every call by the Node clients), quit; the next call opens a new ' +
      `connection. Clients at once: ${config.connectClients.join(', ')}. Our rows log in ` +
      'with accounts limited to one plugin: caching_sha2_password, which the greeting names, ' +
      'so mysql2 and mariadb-slap answer it at once and the configured password gives the ' +
      'fast path on every login; mysql_native_password, which costs an AuthSwitch round trip ' +
      'after that greeting (as on MySQL 8); caching_sha2_password over TLS (the certificate ' +
      'the server generates at start, RSA 2048; mysql2 with `ssl: { rejectUnauthorized: ' +
      'false }`). MariaDB checks a mysql_native_password account (it has no server-side ' +
      'caching_sha2_password); its TLS row uses a self-signed RSA 2048 certificate made with ' +
      'openssl at start. The canned-reply server checks no password and is sent ' +
      "`CALL myadd(3,4)`, the one reply it knows. Nest's TCP transport has no login: a fresh " +
      'ClientProxy per call (connect, send, close). mariadb-slap runs with `--detach=1` ' +
      '(reconnect before every query) and `--skip-ssl`. A call ends when the quit is ' +
      'written, as `mysql_close()` does. Server CPU is per connect. mysql2 spends about ' +
      'a millisecond of CPU per connect of its own, so its rows are bound by the client ' +
      'as much as by the server: the mariadb-slap rows show more of the servers.',
    '',
    '| peer | login | load generator | clients | connects/s | range | p50 µs | p99 µs | server CPU µs/connect | peak RSS MiB | ours ÷ peer |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of connectRows(scenario, peers, samples, config)) {
    lines.push(
      `| ${peerCell(r.peer)} | ${r.row.label} | ${r.label} | ${r.clients} | ${fmtInt(r.qps)} | ` +
        `${fmtInt(r.qpsMin)}–${fmtInt(r.qpsMax)} | ${fmtUs(r.p50us)} | ${fmtUs(r.p99us)} | ` +
        `${fmtUs(r.cpuUsPerCall)} | ${fmtMiB(r.peakRssKiB)} | ${ratioCell(r.ratios)} |`,
    );
  }
  lines.push(
    '',
    '"ours ÷ peer" is the connects/s of our row named in brackets over the peer\'s, with the ' +
      'same load generator and client count (for Nest TCP: our mysql2 figure over its ' +
      'ClientProxy figure; for MariaDB over TLS: ours over TLS).',
    '',
  );
  return lines;
}

function generatorLabel(peer, generator, scenario) {
  if (generator === 'slap') return 'mariadb-slap';
  if (peer.client === 'nest-tcp') {
    return scenario.connections === 1
      ? 'Nest ClientProxy'
      : `Nest ClientProxy, 1 socket, ${scenario.connections} in flight`;
  }
  return 'mysql2';
}

/** Rows of one scenario: Node clients first, then mariadb-slap; ours leads each group. */
function scenarioRows(scenario, peers, samples) {
  const rows = [];
  for (const generator of ['client', 'slap']) {
    const ours = samples.get(`${scenario.id}|${generator}|ours`);
    const oursQps = ours ? summarize(ours).qps : NaN;
    for (const peer of peers) {
      const rounds = samples.get(`${scenario.id}|${generator}|${peer.id}`);
      if (!rounds?.length) continue;
      const s = summarize(rounds);
      rows.push({
        peer,
        generator,
        label: generatorLabel(peer, generator, scenario),
        ...s,
        // ours ÷ peer: above 1 we are faster; against the ceiling it is the
        // fraction of the best a Node server can do.
        ratio: peer.id === 'ours' ? NaN : oursQps / s.qps,
      });
    }
  }
  return rows;
}

function markdown({ machine, config, scenarios, peers, samples, notes }) {
  const qpsScenarios = scenarios.filter((s) => s.kind === 'qps');
  const timedScenarios = scenarios.filter((s) => s.kind === 'qps' || s.kind === 'connect');
  const lines = [
    '# Benchmark results',
    '',
    'Generated by `npm run bench` (`bench/run.mjs`); overwritten on every run. Absolute numbers',
    'drift on a small shared machine: compare the ratios, measured in the same run.',
    '',
    `**Machine:** ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}, ${machine.kernel}, ${machine.date}` +
      (machine.otherLoad
        ? `; CPU busy outside the bench during the run: ${Math.round(machine.otherLoad.other * 100)}%` +
          ` of all cores (steal ${Math.round(machine.otherLoad.steal * 100)}%)`
        : ''),
    '',
    `**Peers:** ${peers.map((p) => p.label).join(', ')}` +
      (machine.mariadb ? ` (${machine.mariadb})` : '') +
      '.' +
      (machine.slap ? ` Second load generator: ${machine.slap}.` : ''),
    '',
    `**Method:** ${plural(config.rounds, 'interleaved round')} (every peer once per round, in turn)` +
      (timedScenarios.length
        ? `, each Node-client measurement ${config.warmup} s warm-up + ${config.seconds} s timed, ` +
          `mariadb-slap sized to about ${config.seconds} s; every figure is the median over rounds ` +
          `(qps range: min–max). Latency is per call, measured by the client. Server CPU is ` +
          `utime+stime of the server process over the timed window ÷ calls; peak RSS is the ` +
          `server's VmHWM, reset before each measurement.`
        : '; every figure is the median over rounds.') +
      ` Total ${Math.round(config.elapsedSeconds)} s.`,
    '',
  ];
  if (config.dist) lines.push(`**Build measured as ours:** \`${config.dist}\` (BENCH_DIST).`, '');
  for (const scenario of scenarios) {
    lines.push(`## ${scenario.title}`, '');
    if (scenario.kind === 'fairness') {
      lines.push(...fairnessTable(scenario, peers, samples, config));
      continue;
    }
    if (scenario.kind === 'stream') {
      lines.push(...streamTable(scenario, peers, samples, config));
      continue;
    }
    if (scenario.kind === 'connect') {
      lines.push(...connectTable(scenario, peers, samples, config));
      continue;
    }
    lines.push(
      '| peer | load generator | qps | qps range | p50 µs | p99 µs | server CPU µs/call | peak RSS MiB | ours ÷ peer |',
      '|---|---|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const r of scenarioRows(scenario, peers, samples)) {
      lines.push(
        `| ${r.peer.id === 'ours' ? `**${r.peer.label}**` : r.peer.label} | ${r.label} | ` +
          `${fmtInt(r.qps)} | ${fmtInt(r.qpsMin)}–${fmtInt(r.qpsMax)} | ${fmtUs(r.p50us)} | ` +
          `${fmtUs(r.p99us)} | ${fmtUs(r.cpuUsPerCall)} | ${fmtMiB(r.peakRssKiB)} | ` +
          `${r.peer.id === 'ours' ? '' : fmtRatio(r.ratio)} |`,
      );
    }
    lines.push('');
  }
  if (qpsScenarios.length)
    lines.push(
      '"ours ÷ peer" is our median qps over the peer\'s, with the same load generator (for Nest',
      'TCP: our mysql2 figure over its ClientProxy figure). Against the canned-reply server it is',
      'the fraction of the ceiling a Node server can reach on this machine.',
      '',
    );
  lines.push('![ratios of this transport to each peer](results.svg)', '');
  if (notes.length) lines.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

const escapeXml = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Chart bars of the connect scenario: one per ratio of the table. */
function connectBars(scenario, peers, samples, config) {
  return {
    title: `${scenario.title.replace(/`/g, '')}: connects/s`,
    bars: connectRows(scenario, peers, samples, config).flatMap((r) =>
      r.ratios
        .filter((x) => Number.isFinite(x.ratio))
        .map((x) => ({
          label:
            `${x.versus.short} vs ${SHORT_PEER[r.peer.id] ?? r.peer.label}` +
            `${r.row.tls ? ' TLS' : ''} ` +
            `(${r.generator === 'slap' ? 'mariadb-slap' : 'mysql2'}, ${plural(r.clients, 'client')})`,
          ratio: x.ratio,
          slap: r.generator === 'slap',
        })),
    ),
  };
}

/** Horizontal bars of ours ÷ peer, grouped by scenario, with a line at parity (1.0). */
function svg({ scenarios, peers, samples, machine, config }) {
  const groups = scenarios.map((scenario) => {
    if (scenario.kind === 'connect') return connectBars(scenario, peers, samples, config);
    const rows =
      scenario.kind === 'fairness'
        ? fairnessRows(scenario, peers, samples).map((r) => ({ ...r, generator: 'client' }))
        : scenario.kind === 'stream'
          ? streamRows(scenario, peers, samples).map((r) => ({ ...r, generator: 'client' }))
          : scenarioRows(scenario, peers, samples);
    return {
      title:
        scenario.kind === 'fairness'
          ? `${scenario.title.replace(/`/g, '').replace(/^Fairness: /, '')}: myadd calls/s`
          : scenario.kind === 'stream'
            ? `${scenario.title.replace(/`/g, '').replace(/^Streaming: /, '')}: rows/s`
            : scenario.title.replace(/`/g, ''),
      bars: rows
        .filter((r) => r.peer.id !== 'ours' && Number.isFinite(r.ratio))
        .map((r) => ({
          label: `vs ${r.peer.label} (${
            r.generator === 'slap'
              ? 'mariadb-slap'
              : r.peer.client === 'nest-tcp'
                ? 'mysql2 / ClientProxy'
                : 'mysql2'
          })`,
          ratio: r.ratio,
          slap: r.generator === 'slap',
        })),
    };
  });
  const width = 800;
  const labelWidth = 330;
  const barArea = width - labelWidth - 70;
  const rowHeight = 24;
  const maxRatio = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => b.ratio))) * 1.05;
  const x = (ratio) => labelWidth + (ratio / maxRatio) * barArea;
  const parts = [];
  let y = 34;
  for (const group of groups) {
    y += 10;
    parts.push(`<text x="10" y="${y + 12}" font-weight="bold">${escapeXml(group.title)}</text>`);
    y += 22;
    for (const bar of group.bars) {
      const w = Math.max(1, x(bar.ratio) - labelWidth);
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeXml(bar.label)}</text>`,
        `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 8}" ` +
          `fill="${bar.slap ? '#8e6cc9' : '#3b7dd8'}"/>`,
        `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 15}">${bar.ratio.toFixed(2)}×</text>`,
      );
      y += rowHeight;
    }
  }
  const top = 40;
  const height = y + 46;
  const one = x(1).toFixed(1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">nestjs-mysql-rpc throughput ÷ peer (medians, same run; &gt; 1 is faster)</text>`,
    ...parts,
    `<line x1="${one}" y1="${top}" x2="${one}" y2="${y + 4}" stroke="#444" stroke-dasharray="4 3"/>`,
    `<text x="${one}" y="${y + 18}" text-anchor="middle" fill="#444">1.0 = parity</text>`,
    `<text x="${width - 10}" y="${height - 6}" text-anchor="end" font-size="11" fill="#666">${escapeXml(
      `${machine.cores} cores, ${machine.cpu}, Node ${machine.node}, ${machine.date}`,
    )}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** A few lines for the terminal. */
function summaryText({ scenarios, peers, samples, config }) {
  const lines = ['Summary (median qps; ours ÷ peer):'];
  for (const scenario of scenarios) {
    lines.push(`  ${scenario.title.replace(/`/g, '')}`);
    if (scenario.kind === 'fairness') {
      for (const r of fairnessRows(scenario, peers, samples)) {
        lines.push(
          `    ${r.peer.label.padEnd(24)} myadd p50/p99 µs alone ${fmtLat(r.alone.p50us)}/${fmtLat(r.alone.p99us)}, ` +
            `under load ${fmtLat(r.loaded.p50us)}/${fmtLat(r.loaded.p99us)}` +
            (r.peer.id === 'ours' ? '' : `   ours ${fmtRatio(r.ratio)} (calls/s under load)`),
        );
      }
      continue;
    }
    if (scenario.kind === 'stream') {
      for (const r of streamRows(scenario, peers, samples)) {
        lines.push(
          `    ${r.peer.label.padEnd(24)} ${fmtK(r.rowsPerSecond).padStart(7)} rows/s, ` +
            `RSS +${fmtMiB(r.rssGrowthKiB)} MiB` +
            (r.peer.id === 'ours' ? '' : `   ours ${fmtRatio(r.ratio)}`),
        );
      }
      continue;
    }
    if (scenario.kind === 'connect') {
      for (const r of connectRows(scenario, peers, samples, config)) {
        const who = `${r.peer.label}, ${r.row.short} [${r.label}, ${plural(r.clients, 'client')}]`;
        lines.push(
          `    ${who.padEnd(64)} ${fmtK(r.qps).padStart(7)} connects/s` +
            (r.ratios.length
              ? `   ours ${r.ratios.map((x) => `${x.versus.short} ${fmtRatio(x.ratio)}`).join(', ')}`
              : ''),
        );
      }
      continue;
    }
    for (const r of scenarioRows(scenario, peers, samples)) {
      const who = `${r.peer.label} [${r.label}]`;
      lines.push(
        `    ${who.padEnd(64)} ${fmtK(r.qps).padStart(7)} qps` +
          (r.peer.id === 'ours' ? '' : `   ours ${fmtRatio(r.ratio)}`),
      );
    }
  }
  return lines.join('\n');
}

/** Writes RESULTS.md and results.svg; returns the terminal summary. */
export function writeReport(data) {
  const md = join(data.outDir, 'RESULTS.md');
  const chart = join(data.outDir, 'results.svg');
  writeFileSync(md, markdown(data));
  writeFileSync(chart, svg(data));
  return `${summaryText(data)}\n\nWrote ${md} and ${chart}.`;
}
