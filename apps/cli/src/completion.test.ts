import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { completionScript, completionTree, setFieldCompletion } from './completion.js';

function sampleProgram(): Command {
  const program = new Command('pc')
    .addOption(new Option('-o, --output <format>').choices(['json', 'csv']))
    .option('--debug');
  const licenses = program.command('licenses');
  licenses.command('deployment').option('--filter <expr>').option('--legacy');
  const usage = licenses.command('usage').option('--groupby <fields>');
  setFieldCompletion(usage, {
    '--groupby': ['customerName', 'channel', 'serviceCode'],
    '--fields': ['customerName', 'channel', 'licensesActive'],
  });
  program.option('--fields <list>');
  program.command('status');
  return program;
}

function hasBash(): boolean {
  try {
    execFileSync('bash', ['--version']);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' && false;
  }
}

describe('completionTree', () => {
  it('lists every command path with its subcommands and options (global options included below the root)', () => {
    const nodes = completionTree(sampleProgram());
    expect(nodes.map((node) => node.path)).toEqual([
      '',
      'licenses',
      'licenses deployment',
      'licenses usage',
      'status',
    ]);
    const deployment = nodes.find((node) => node.path === 'licenses deployment')!;
    expect(deployment.options.flatMap((option) => option.flags)).toEqual(
      expect.arrayContaining(['--filter', '--legacy', '--output', '-o', '--debug']),
    );
  });
});

describe.runIf(hasBash())('bash completion', () => {
  async function complete(words: string[]): Promise<string[]> {
    const directory = await mkdtemp(join(tmpdir(), 'pc-completion-'));
    const script = join(directory, 'pc.bash');
    await writeFile(script, completionScript('bash', 'pc', sampleProgram()));
    const quoted = words.map((word) => `'${word}'`).join(' ');
    const output = execFileSync('bash', [
      '-c',
      `source '${script}'; COMP_WORDS=(pc ${quoted}); COMP_CWORD=${words.length}; _pc_completion; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ]).toString();
    return output.split('\n').filter((line) => line !== '');
  }
  it('completes commands, subcommands, options and choices', async () => {
    expect(await complete([''])).toEqual(expect.arrayContaining(['licenses', 'status']));
    expect(await complete(['licenses', ''])).toEqual(expect.arrayContaining(['deployment', 'usage']));
    expect(await complete(['licenses', 'deployment', '--fil'])).toEqual(['--filter']);
    expect(await complete(['licenses', 'deployment', '--filter', 'x', '--le'])).toEqual(['--legacy']);
    expect(await complete(['-o', ''])).toEqual(['json', 'csv']);
  });
  it("completes an endpoint's field names for --groupby and --fields, after the last comma", async () => {
    expect(await complete(['licenses', 'usage', '--groupby', 'c'])).toEqual(['customerName', 'channel']);
    expect(await complete(['licenses', 'usage', '--groupby', 'serviceCode,ch'])).toEqual([
      'serviceCode,channel',
    ]);
    expect(await complete(['licenses', 'usage', '--fields', 'lic'])).toEqual(['licensesActive']);
    // Elsewhere a value flag still completes file names, not fields.
    expect(await complete(['licenses', 'deployment', '--filter', 'cust'])).not.toContain('customerName');
  });
  it('is valid bash', () => {
    expect(() =>
      execFileSync('bash', ['-n'], { input: completionScript('bash', 'pc', sampleProgram()) }),
    ).not.toThrow();
  });
});

describe('powershell script', () => {
  it('registers a native completer with every path, and field values per command and flag', () => {
    const script = completionScript('powershell', 'pc', sampleProgram());
    expect(script).toContain("Register-ArgumentCompleter -Native -CommandName 'pc'");
    expect(script).toContain("'licenses usage' = @('--groupby', ");
    expect(script).toContain("'licenses usage:--groupby' = @('customerName', 'channel', 'serviceCode')");
    expect(script).toContain("':-o' = @('json', 'csv')");
    expect(script).not.toContain("'licenses deployment:--groupby'");
  });
});

describe('zsh and fish scripts', () => {
  it('carry every command path', () => {
    for (const shell of ['zsh', 'fish'] as const) {
      const script = completionScript(shell, 'pc', sampleProgram());
      expect(script).toContain("'licenses deployment'");
      expect(script).toContain('--filter');
    }
    expect(completionScript('zsh', 'pc', sampleProgram())).toMatch(/^#compdef pc/);
    expect(completionScript('zsh', 'pc', sampleProgram())).toContain(
      "'licenses usage:--groupby') _values -s , 'field' 'customerName' 'channel' 'serviceCode'; return ;;",
    );
    expect(completionScript('fish', 'pc', sampleProgram())).toContain(
      "-l groupby -x -a 'customerName channel serviceCode'",
    );
    expect(completionScript('fish', 'pc', sampleProgram())).toContain(
      "complete -c pc -n \"__pc_at 'licenses'\" -a 'deployment'",
    );
  });
});
