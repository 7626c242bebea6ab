import type { Command } from 'commander';

/** One command of the tree, as the completion scripts see it. */
export interface CompletionNode {
  /** The command path without the program name, space-separated ('' for the root). */
  readonly path: string;
  readonly subcommands: readonly { name: string; description: string }[];
  readonly options: readonly {
    flags: string[];
    takesValue: boolean;
    choices: readonly string[];
    description: string;
  }[];
  /**
   * Values of a flag at this command that come from the endpoint's descriptor (`--groupby`:
   * the groupable fields; `--fields`, `--sort`: every field), completed after the last comma.
   */
  readonly fieldValues: Readonly<Record<string, readonly string[]>>;
}

const fieldRegistry = new WeakMap<Command, Readonly<Record<string, readonly string[]>>>();

/**
 * Declares the field names a command's flags take, for completion: e.g.
 * `{ '--groupby': descriptor.groupable, '--fields': descriptor.fields, '--sort': descriptor.fields }`.
 */
export function setFieldCompletion(
  command: Command,
  values: Readonly<Record<string, readonly string[]>>,
): void {
  fieldRegistry.set(command, values);
}

/** The shells `pc completion` writes scripts for. */
export const completionShells = ['bash', 'zsh', 'fish', 'powershell'] as const;

/** One supported shell. */
export type CompletionShell = (typeof completionShells)[number];

/** Walks a commander tree into completion nodes (hidden commands left out). */
export function completionTree(root: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const globalOptions = root.options;
  const visit = (command: Command, path: string[]): void => {
    const options = [...command.options, ...(path.length > 0 ? globalOptions : [])]
      .filter((option) => !option.hidden)
      .map((option) => ({
        flags: [option.long, option.short].filter((flag): flag is string => flag !== undefined),
        takesValue: option.required || option.optional,
        choices: option.argChoices ?? [],
        description: option.description,
      }));
    options.push({ flags: ['--help', '-h'], takesValue: false, choices: [], description: 'show help' });
    const subcommands = command.commands
      .filter((sub) => !(sub as Command & { _hidden?: boolean })._hidden)
      .map((sub) => ({
        name: sub.name(),
        description: sub.summary() || sub.description().split('\n')[0] || '',
      }));
    nodes.push({ path: path.join(' '), subcommands, options, fieldValues: fieldRegistry.get(command) ?? {} });
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(root, []);
  return nodes;
}

function shellWords(words: readonly string[]): string {
  return words.join(' ');
}

function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Options that take a value anywhere in the tree (their value is skipped when finding the path). */
function valueFlags(nodes: readonly CompletionNode[]): string[] {
  const flags = new Set<string>();
  for (const node of nodes) {
    for (const option of node.options)
      if (option.takesValue) for (const flag of option.flags) flags.add(flag);
  }
  return [...flags].sort();
}

function choiceCases(nodes: readonly CompletionNode[]): Map<string, readonly string[]> {
  const cases = new Map<string, readonly string[]>();
  for (const node of nodes) {
    for (const option of node.options) {
      if (option.choices.length > 0) for (const flag of option.flags) cases.set(flag, option.choices);
    }
  }
  return cases;
}

function bashScript(program: string, nodes: readonly CompletionNode[]): string {
  const fn = `_${program.replace(/[^A-Za-z0-9_]/g, '_')}_completion`;
  const commandPaths = nodes.filter((node) => node.path !== '').map((node) => singleQuoted(node.path));
  const wordsCases = nodes
    .map(
      (node) =>
        `    ${singleQuoted(node.path)}) words=${singleQuoted(
          shellWords([
            ...node.subcommands.map((sub) => sub.name),
            ...node.options.flatMap((option) => option.flags),
          ]),
        )} ;;`,
    )
    .join('\n');
  const choices = [...choiceCases(nodes)]
    .map(
      ([flag, values]) =>
        `    ${flag}) COMPREPLY=( $(compgen -W ${singleQuoted(values.join(' '))} -- "$cur") ); return 0 ;;`,
    )
    .join('\n');
  const takesValue = valueFlags(nodes).join('|');
  const fieldCases = nodes
    .flatMap((node) =>
      Object.entries(node.fieldValues).map(
        ([flag, values]) =>
          `    ${singleQuoted(`${node.path}:${flag}`)}) words=${singleQuoted(values.join(' '))} ;;`,
      ),
    )
    .join('\n');
  return `# ${program} completion for bash. Load it with:
#   source <(${program} completion bash)
# or save it as ~/.local/share/bash-completion/completions/${program}
${fn}() {
  local cur prev path word candidate i skip=0 words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev=""
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path=""
  for (( i=1; i<COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    if (( skip )); then skip=0; continue; fi
    case "$word" in
      ${takesValue === '' ? '--never--' : takesValue}) skip=1; continue ;;
      -*) continue ;;
    esac
    candidate="\${path:+$path }$word"
    case "$candidate" in
      ${commandPaths.length > 0 ? commandPaths.join('|') : "'--never--'"}) path="$candidate" ;;
    esac
  done
  words=""
  case "$path:$prev" in
${fieldCases}
  esac
  if [[ -n "$words" ]]; then
    # A comma-separated list: complete the part after the last comma, keep what is before it.
    local head="" tail="$cur"
    if [[ "$cur" == *,* ]]; then head="\${cur%,*},"; tail="\${cur##*,}"; fi
    COMPREPLY=( $(compgen -P "$head" -W "$words" -- "$tail") )
    return 0
  fi
  case "$prev" in
${choices}
    ${takesValue === '' ? '--never--' : takesValue}) COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;
  esac
  case "$path" in
${wordsCases}
    *) words="" ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
  return 0
}
complete -o default -F ${fn} ${program}
`;
}

function zshScript(program: string, nodes: readonly CompletionNode[]): string {
  const fn = `_${program.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const commandPaths = nodes.filter((node) => node.path !== '').map((node) => singleQuoted(node.path));
  const describe = (name: string, description: string): string =>
    singleQuoted(`${name.replaceAll(':', '\\:')}:${description}`);
  const wordsCases = nodes
    .map((node) => {
      const subs = node.subcommands.map((sub) => describe(sub.name, sub.description)).join(' ');
      const options = node.options
        .flatMap((option) => option.flags.map((flag) => describe(flag, option.description)))
        .join(' ');
      return `    ${singleQuoted(node.path)}) subs=(${subs}); opts=(${options}) ;;`;
    })
    .join('\n');
  const choices = [...choiceCases(nodes)]
    .map(([flag, values]) => `    ${flag}) compadd -- ${values.join(' ')}; return ;;`)
    .join('\n');
  const takesValue = valueFlags(nodes).join('|');
  const fieldCases = nodes
    .flatMap((node) =>
      Object.entries(node.fieldValues).map(
        ([flag, values]) =>
          `    ${singleQuoted(`${node.path}:${flag}`)}) _values -s , 'field' ${values.map(singleQuoted).join(' ')}; return ;;`,
      ),
    )
    .join('\n');
  return `#compdef ${program}
# ${program} completion for zsh. Load it with:
#   source <(${program} completion zsh)
# or save it as _${program} in a directory of your $fpath
${fn}() {
  local path_ word candidate i skip=0
  local -a subs opts
  path_=""
  for (( i=2; i<CURRENT; i++ )); do
    word="\${words[i]}"
    if (( skip )); then skip=0; continue; fi
    case "$word" in
      ${takesValue === '' ? '--never--' : takesValue}) skip=1; continue ;;
      -*) continue ;;
    esac
    candidate="\${path_:+$path_ }$word"
    case "$candidate" in
      ${commandPaths.length > 0 ? commandPaths.join('|') : "'--never--'"}) path_="$candidate" ;;
    esac
  done
  case "$path_:\${words[CURRENT-1]}" in
${fieldCases}
  esac
  case "\${words[CURRENT-1]}" in
${choices}
    ${takesValue === '' ? '--never--' : takesValue}) _files; return ;;
  esac
  case "$path_" in
${wordsCases}
  esac
  if [[ "$PREFIX" == -* ]]; then
    _describe -t options 'option' opts
  else
    _describe -t commands 'command' subs
  fi
}
if [[ "\${funcstack[1]}" == "${fn}" ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${program}
fi
`;
}

function fishQuoted(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function fishScript(program: string, nodes: readonly CompletionNode[]): string {
  const id = program.replace(/[^A-Za-z0-9_]/g, '_');
  const pathFn = `__${id}_path`;
  const atFn = `__${id}_at`;
  const commandPaths = nodes.filter((node) => node.path !== '').map((node) => fishQuoted(node.path));
  const takesValue = valueFlags(nodes)
    .map((flag) => fishQuoted(flag))
    .join(' ');
  const lines: string[] = [
    `# ${program} completion for fish. Load it with:`,
    `#   ${program} completion fish | source`,
    `# or save it as ~/.config/fish/completions/${program}.fish`,
    `function ${pathFn}`,
    '    set -l words (commandline -opc)',
    "    set -l path ''",
    '    set -l skip 0',
    '    for word in $words[2..-1]',
    '        if test $skip -eq 1',
    '            set skip 0',
    '            continue',
    '        end',
    `        if contains -- $word ${takesValue}`,
    '            set skip 1',
    '            continue',
    '        end',
    "        if string match -q -- '-*' $word",
    '            continue',
    '        end',
    '        set -l candidate (string trim -- "$path $word")',
    `        if contains -- $candidate ${commandPaths.join(' ')}`,
    '            set path $candidate',
    '        end',
    '    end',
    '    echo $path',
    'end',
    `function ${atFn}`,
    `    set -l current (${pathFn})`,
    '    test "$current" = "$argv[1]"',
    'end',
    `complete -c ${program} -f`,
  ];
  for (const node of nodes) {
    const condition = `"${atFn} '${node.path}'"`;
    for (const sub of node.subcommands) {
      lines.push(
        `complete -c ${program} -n ${condition} -a ${fishQuoted(sub.name)} -d ${fishQuoted(sub.description)}`,
      );
    }
    for (const option of node.options) {
      const long = option.flags.find((flag) => flag.startsWith('--'));
      const short = option.flags.find((flag) => !flag.startsWith('--'));
      let line = `complete -c ${program} -n ${condition}`;
      if (long !== undefined) line += ` -l ${long.slice(2)}`;
      if (short !== undefined) line += ` -s ${short.slice(1)}`;
      const fields = option.flags
        .map((flag) => node.fieldValues[flag])
        .find((values) => values !== undefined);
      if (option.takesValue)
        line +=
          option.choices.length > 0
            ? ` -x -a ${fishQuoted(option.choices.join(' '))}`
            : fields !== undefined
              ? ` -x -a ${fishQuoted(fields.join(' '))}`
              : ' -r';
      line += ` -d ${fishQuoted(option.description)}`;
      lines.push(line);
    }
  }
  return `${lines.join('\n')}\n`;
}

function powershellQuoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function powershellScript(program: string, nodes: readonly CompletionNode[]): string {
  const list = (values: readonly string[]): string => `@(${values.map(powershellQuoted).join(', ')})`;
  const words = nodes
    .map(
      (node) =>
        `  ${powershellQuoted(node.path)} = ${list([
          ...node.subcommands.map((sub) => sub.name),
          ...node.options.flatMap((option) => option.flags),
        ])}`,
    )
    .join('\n');
  const values: string[] = [];
  for (const node of nodes) {
    for (const option of node.options) {
      for (const flag of option.flags) {
        const fields = node.fieldValues[flag];
        if (fields !== undefined)
          values.push(`  ${powershellQuoted(`${node.path}:${flag}`)} = ${list(fields)}`);
        else if (option.choices.length > 0)
          values.push(`  ${powershellQuoted(`${node.path}:${flag}`)} = ${list(option.choices)}`);
      }
    }
  }
  const takesValue = list(valueFlags(nodes));
  return `# ${program} completion for PowerShell. Load it with:
#   ${program} completion powershell | Out-String | Invoke-Expression
# or add that line to your $PROFILE
$__${program.replace(/[^A-Za-z0-9_]/g, '_')}Words = @{
${words}
}
$__${program.replace(/[^A-Za-z0-9_]/g, '_')}Values = @{
${values.join('\n')}
}
Register-ArgumentCompleter -Native -CommandName '${program}' -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = $__${program.replace(/[^A-Za-z0-9_]/g, '_')}Words
  $values = $__${program.replace(/[^A-Za-z0-9_]/g, '_')}Values
  $takesValue = ${takesValue}
  $elements = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $elements.Count -gt 0) { $elements = @($elements | Select-Object -SkipLast 1) }
  $path = ''
  $skip = $false
  foreach ($word in $elements) {
    if ($skip) { $skip = $false; continue }
    if ($takesValue -contains $word) { $skip = $true; continue }
    if ($word.StartsWith('-')) { continue }
    $candidate = if ($path -eq '') { $word } else { "$path $word" }
    if ($words.ContainsKey($candidate)) { $path = $candidate }
  }
  $previous = if ($elements.Count -gt 0) { $elements[-1] } else { '' }
  $key = "\${path}:\${previous}"
  if ($values.ContainsKey($key)) {
    # A comma-separated list: complete the part after the last comma.
    $head = ''
    $tail = $wordToComplete
    $comma = $wordToComplete.LastIndexOf(',')
    if ($comma -ge 0) { $head = $wordToComplete.Substring(0, $comma + 1); $tail = $wordToComplete.Substring($comma + 1) }
    $values[$key] | Where-Object { $_ -like "$tail*" } | ForEach-Object {
      [System.Management.Automation.CompletionResult]::new("$head$_", $_, 'ParameterValue', $_)
    }
    return
  }
  if ($takesValue -contains $previous) { return }
  $words[$path] | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
    $kind = if ($_.StartsWith('-')) { 'ParameterName' } else { 'Command' }
    [System.Management.Automation.CompletionResult]::new($_, $_, $kind, $_)
  }
}
`;
}

/** The completion script of a shell, generated from the command tree. */
export function completionScript(shell: CompletionShell, program: string, root: Command): string {
  const nodes = completionTree(root);
  switch (shell) {
    case 'bash':
      return bashScript(program, nodes);
    case 'zsh':
      return zshScript(program, nodes);
    case 'fish':
      return fishScript(program, nodes);
    case 'powershell':
      return powershellScript(program, nodes);
  }
}
