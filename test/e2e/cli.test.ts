// The built CLI (npm test builds first): exit codes, output shapes, replay.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/scenarios.js';
import { deviceUsersYaml } from '../../bench/family.js';

function kvmsim(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kvmsim.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('kvmsim check', () => {
  it('exits 1 with a deadlock finding in JSON on v6.2-rc5, and 0 on v6.2', () => {
    const bad = kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--kernel', 'v6.2-rc5', '--json');
    expect(bad.code).toBe(1);
    const json = JSON.parse(bad.out) as { format: string; version: number; results: { verdict: string; findings: { kind: string; replay: string; threads: { stack: string[] }[] }[] }[] };
    expect(json.format).toBe('kvmsim-check');
    expect(json.results[0]!.verdict).toBe('findings');
    const f = json.results[0]!.findings[0]!;
    expect(f.kind).toBe('deadlock');
    expect(f.threads[0]!.stack).toContain('kvm_vfio_destroy');
    expect(f.replay).toMatch(/^kvmsim replay 'scenarios\/vfio-device-closed-last\.yaml@v6\.2-rc5#.*'$/);

    const good = kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--kernel', 'v6.2');
    expect(good.code).toBe(0);
    expect(good.out).toContain('verdict:  clean');
  });

  it('prints a replay command that reproduces the finding (exit 1, same deadlock)', () => {
    const r = kvmsim('check', 'scenarios/teardown-races-device-close.yaml', '--kernel', 'v6.2-rc5');
    const m = /kvmsim replay '([^']+)'/.exec(r.out);
    expect(m).not.toBeNull();
    const replay = kvmsim('replay', m![1]!);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain('ended: deadlock');
    expect(replay.out).toContain('BUG: deadlock: user blocks on &group->group_lock');
    // A token that names more choices than the execution has is a mistake, not another run (issue 17, item 3).
    const sep = m![1]!.endsWith('#') ? '' : ',';
    const longer = kvmsim('replay', `${m![1]!}${sep}user:99`);
    expect(longer.code).toBe(2);
    expect(longer.err).toMatch(/the schedule does not fit .* the schedule names 99 more, from "user" at choice \d+/);
    const huge = kvmsim('replay', `${m![1]!}${sep}user:1e9`);
    expect(huge.code).toBe(2);
    expect(huge.err).toContain('bad schedule element "user:1e9"');
  });

  it('--fail-fast stops at the first finding, after the pct samples a bounded check starts with', () => {
    const r = kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--kernel', 'v6.2-rc5', '--fail-fast');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/explored: \d+ executions? \(bounded: stopped at the first finding, dpor after 100 pct samples\) — not a proof/);
    expect(r.out).toContain('verdict:  ');
    expect(r.out).toMatch(/replay: kvmsim replay '/);
    const unsampled = kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--kernel', 'v6.2', '--fail-fast', '--sample', '0');
    expect(unsampled.code).toBe(0);
    expect(unsampled.out).toMatch(/explored: all \d+ executions? \(complete, dpor, \d+ distinct states\)/);
  });
});

describe('Ctrl-C', () => {
  it('stops a check at the next execution and prints the honest partial result (a real SIGINT)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'kvmsim.js'), 'check', 'scenarios/kvm-vfio-add-del-twins.yaml', '--kernel', 'all', '--no-symmetry'], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Uninterrupted, every version runs to the end (about ten seconds here); 1.5 s in, it is exploring one of the first.
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(Date.now() - t0).toBeLessThan(6000);
    // Findings (1) if what was explored shows one — a version finished before the Ctrl-C (v6.1 takes
    // about a second) or the interrupted one's part — else "no findings within bound" (4): never clean (0).
    expect(code).toBe(/verdict: {2}\d+ findings? \(in/.test(out) ? 1 : 4);
    expect(out).toContain('verdict:  ');
    expect(out).toMatch(/explored: \d+ executions \(bounded: interrupted \(Ctrl-C\), dpor, \d+ distinct states\) — not a proof/);
    // Which version the signal lands in depends on the machine (the first ones take about a second each):
    // the ones after it are named, the last always among them.
    expect(err).toMatch(/kvmsim: interrupted \(Ctrl-C\); not checked: (kvm-vfio-add-del-twins @ v[\d.rc-]+, )*kvm-vfio-add-del-twins @ v6\.18\n/);
  }, 20_000);
});

describe('bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvmsim-'));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it.each([
    ['unknown ioctl', 'name: t\nsetup:\n  - kvm = open("/dev/kvm")\n  - ioctl(kvm, KVM_CREATE_VN)\n', ':4:16', 'KVS303'],
    ['undefined fd variable', 'name: t\nsetup:\n  - close(vm)\n', ':3:11', 'KVS309'],
    ['wrong argument type', 'name: t\nsetup:\n  - kvm = open(42)\n', ':3:16', 'KVS304'],
    ['YAML syntax error', 'name: t\nsetup: [\n', ':', 'KVS001'],
    ['unknown version', 'name: t\nkernel: v9.9\n', ':2:9', 'KVS401'],
  ])('%s: file:line:col, stable code, exit 2, no stack trace', (_what, text, pos, code) => {
    const file = write(`${code}.yaml`, text);
    const r = kvmsim('check', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}${pos}`);
    expect(r.err).toContain(code);
    expect(r.err).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it('reports several mistakes of one file at once', () => {
    const file = write('many.yaml', 'name: t\nsetup:\n  - close(a)\n  - close(b)\n  - ioctl(c, NOPE)\n');
    const r = kvmsim('check', file);
    expect(r.code).toBe(2);
    expect(r.err.match(/error/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('names a mistyped command with the nearest one, and answers help CMD (issue 17, item 4)', () => {
    const typo = kvmsim('chekc', 'f.yaml');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("unknown command 'chekc' (did you mean 'check'?)");
    const far = kvmsim('frobnicate');
    expect(far.err).toMatch(/unknown command 'frobnicate'; commands: check, /);
    const help = kvmsim('help', 'check');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: kvmsim check [options] <files...>');
  });

  it('checks every scenario of a directory, in name order (issue 17, item 4)', () => {
    const sub = mkdtempSync(join(dir, 'dir-'));
    const one = 'kernel: v6.2\nthreads:\n  a: [ \'open("/dev/kvm")\' ]\n';
    writeFileSync(join(sub, 'b.yaml'), `name: second\n${one}`);
    writeFileSync(join(sub, 'a.yaml'), `name: first\n${one}`);
    writeFileSync(join(sub, 'notes.txt'), 'not a scenario');
    const r = kvmsim('check', sub);
    expect(r.code).toBe(0);
    expect([...r.out.matchAll(/^scenario: (\w+)/gm)].map((x) => x[1])).toEqual(['first', 'second']);
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(kvmsim('check', empty).err).toContain('is a directory with no .yaml scenario in it');
  });

  it('a bounded check that finds nothing exits 4 with its own verdict, not as a proof (issue 17, item 2)', () => {
    const r = kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--kernel', 'v6.2', '--strategy', 'random', '--max-executions', '5');
    expect(r.code).toBe(4);
    expect(r.out).toContain('verdict:  no findings within bound (max executions (5)) — not a proof');
    // The twin: the complete check of the same scenario is a proof, exit 0.
    const complete = kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--kernel', 'v6.2');
    expect(complete.code).toBe(0);
    expect(complete.out).toContain('verdict:  clean');
  });

  it('usage errors exit 2', () => {
    expect(kvmsim('check').code).toBe(2);
    expect(kvmsim('frobnicate').code).toBe(2);
    expect(kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--kernel', 'v1').code).toBe(2);
    expect(kvmsim('replay', 'garbage').code).toBe(2);
    expect(kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--time-budget', 'soon').code).toBe(2);
    expect(kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--sample', '-1').code).toBe(2);
    expect(kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--fail-fast', '--workers', '2').code).toBe(2);
  });

  it('--help documents the exit codes', () => {
    const r = kvmsim('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Exit codes: 0 clean, 1 findings, 2 bad input or usage');
  });
});

describe('kvmsim (no arguments)', () => {
  it('prints the version × scenario verdict matrix', () => {
    const r = kvmsim();
    expect(r.out).toMatch(/scenario\s+v6\.1\s+v6\.2-rc5\s+v6\.2\s+v6\.3\s+v6\.6\s+v6\.18/);
    expect(r.out).toMatch(/vfio-device-closed-last\s+deadlock \+1\s+deadlock \+1\s+clean\s+clean\s+clean\s+clean/);
    expect(r.out).toMatch(/vfio-ap-open-races-kvm-vfio-release\s+possible deadlock\s+possible deadlock\s+deadlock \+1\s+clean/);
    expect(r.out).toMatch(/errno\/ \(\d+ scenarios\)(\s+clean){6}/);
    expect(r.code).toBe(0);
  });
});

describe('kvmsim check --shard / --workers and kvmsim merge', () => {
  const scenario = 'scenarios/teardown-races-device-close.yaml';
  type Json = { results: { verdict: string; coverage: { executions: number; complete: boolean }; findings: { kind: string; title: string }[] }[] };
  const summary = (out: string): unknown =>
    (JSON.parse(out) as Json).results.map((r) => ({ verdict: r.verdict, executions: r.coverage.executions, complete: r.coverage.complete, findings: r.findings.map((f) => `${f.kind}: ${f.title}`).sort() }));

  it('shards run anywhere, merge into the verdict of a run on workers (same findings, same count)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmsim-shards-'));
    const files = [1, 2, 3].map((i) => {
      const r = kvmsim('check', scenario, '--kernel', 'v6.2-rc5,v6.2', '--shard', `${i}/3`);
      expect(r.code).toBe(0);
      const f = join(dir, `shard-${i}.json`);
      writeFileSync(f, r.out);
      return f;
    });
    const merged = kvmsim('merge', ...files, '--json');
    expect(merged.code).toBe(1);
    const workers = kvmsim('check', scenario, '--kernel', 'v6.2-rc5,v6.2', '--workers', '3', '--json');
    expect(workers.code).toBe(1);
    expect(summary(merged.out)).toEqual(summary(workers.out));
    const plain = kvmsim('check', scenario, '--kernel', 'v6.2-rc5,v6.2', '--json');
    const kinds = (out: string): unknown => (summary(out) as { findings: string[] }[]).map((r) => r.findings);
    expect(kinds(merged.out)).toEqual(kinds(plain.out));

    const missing = kvmsim('merge', files[0]!, files[1]!);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('missing shard 3/3');
    const notShard = kvmsim('merge', join(ROOT, 'package.json'));
    expect(notShard.code).toBe(2);
    expect(notShard.err).toContain('is not the output of `kvmsim check --shard i/N`');
  });

  it('rejects malformed or misapplied split options (exit 2)', () => {
    expect(kvmsim('check', scenario, '--shard', '4/3').code).toBe(2);
    expect(kvmsim('check', scenario, '--shard', '1/2', '--strategy', 'dfs').code).toBe(2);
    expect(kvmsim('check', scenario, '--workers', '0').code).toBe(2);
  });
});

describe('--junit FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvmsim-junit-'));

  it('writes one test case per scenario × version: findings fail, clean passes, and the text report goes on as usual', () => {
    const file = join(dir, 'out.xml');
    const r = kvmsim('check', 'scenarios/vfio-device-closed-last.yaml', '--kernel', 'v6.2-rc5,v6.2', '--junit', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('verdict:');
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="kvmsim check" tests="2" failures="1" skipped="0" errors="0">/);
    expect(xml).toMatch(/<testcase name="v6\.2-rc5" classname="kvmsim\.vfio-device-closed-last" file="scenarios\/vfio-device-closed-last\.yaml">\n {6}<failure message="\d+ findings?: /);
    expect(xml).toContain('<testcase name="v6.2" classname="kvmsim.vfio-device-closed-last" file="scenarios/vfio-device-closed-last.yaml"/>');
    // The failure carries the text report, escaped.
    expect(xml).toContain('&amp;group-&gt;group_lock');
  });

  it('marks a bounded check skipped, never passed', () => {
    const file = join(dir, 'bounded.xml');
    const r = kvmsim('check', 'scenarios/kvm-vfio-add-del-twins.yaml', '--kernel', 'v6.6', '--max-executions', '2', '--junit', file);
    expect(r.code).toBe(4);
    expect(readFileSync(file, 'utf8')).toContain('<skipped message="no findings within bound (max executions (2)): not a proof"/>');
  });

  it('a path it cannot write is exit 2, after the report was printed', () => {
    const r = kvmsim('check', 'scenarios/kvm-vfio-add-del-twins.yaml', '--kernel', 'v6.6', '--junit', join(dir, 'no', 'such', 'dir', 'x.xml'));
    expect(r.code).toBe(2);
    expect(r.out).toContain('verdict:  clean');
    expect(r.err).toMatch(/^kvmsim: cannot write the JUnit report to .*x\.xml: ENOENT/);
  });
});

describe('a large check says so before it starts', () => {
  it('warns on stderr with the size and the bounding options; a bounded or small check does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmsim-size-'));
    const file = join(dir, 'device-users-3.yaml');
    writeFileSync(file, deviceUsersYaml(3));
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'kvmsim.js'), 'check', file, '--kernel', 'v6.2'], { cwd: ROOT });
    let err = '';
    const warned = new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => ((err += d.toString()), err.includes('\n') && resolve())));
    await Promise.race([warned, new Promise((r) => setTimeout(r, 15_000))]);
    child.kill('SIGKILL');
    expect(err).toMatch(/^kvmsim: device-users-3 @ v6\.2: 4 threads of \d+, \d+, \d+ and \d+ visible operations: about 10\^\d+ interleavings before reduction; a complete check may take long — --time-budget S, --fail-fast or --max-executions N bound it/);
    expect(kvmsim('check', file, '--kernel', 'v6.2', '--max-executions', '3').err).not.toContain('may take long');
    expect(kvmsim('check', 'scenarios/kvm-vfio-add-del-twins.yaml', '--kernel', 'v6.6').err).not.toContain('may take long');
  }, 30_000);
});

describe('kvmsim minimise', () => {
  it('prints the smallest scenario that still shows the finding, and says what it dropped', () => {
    const r = kvmsim('minimise', 'scenarios/qemu-exit-device-fd-lowest.yaml', '--kernel', 'v6.2-rc5');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^kvmsim: keeping deadlock: deadlock: setup blocks on &group->group_lock/);
    // Set-up ends by exiting anyway: its explicit exit() is not needed.
    expect(r.err).toMatch(/kvmsim: dropped setup op 13 \(\d+ candidates checked\)/);
    expect(r.out).toContain('name: qemu-exit-device-fd-lowest');
    expect(r.out).not.toMatch(/^ {2}- exit\(\)$/m);
  });

  it('has nothing to minimise in a clean check, and wants one version', () => {
    expect(kvmsim('minimise', 'scenarios/kvm-vfio-add-del-twins.yaml', '--kernel', 'v6.6').err).toContain('nothing to minimise');
    const r = kvmsim('minimise', 'scenarios/kvm-vfio-add-del-twins.yaml', '--kernel', 'all');
    expect(r.code).toBe(2);
    expect(r.err).toContain('minimise needs one kernel version');
  });
});
