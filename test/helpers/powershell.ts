import { readFileSync } from 'node:fs';
import { Language, Node, Parser } from 'web-tree-sitter';

/**
 * A real PowerShell grammar (tree-sitter-powershell, its wasm build run by
 * web-tree-sitter): no PowerShell interpreter is packaged for these
 * machines, and no Windows machine can be booted here, so the rendered
 * scripts are parsed instead. Both packages are devDependencies: a missing
 * parser fails the test (locally and in CI), it never skips.
 */
let parser: Promise<Parser> | undefined;

function load(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    const wasm = readFileSync(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
    const language = await Language.load(wasm);
    const p = new Parser();
    p.setLanguage(language);
    return p;
  })();
  return parser;
}

/** The ERROR and MISSING nodes of a PowerShell script, each as `<kind> at <row>:<column>: <text>`; empty when it parses. */
export async function powershellErrors(script: string): Promise<string[]> {
  const tree = (await load()).parse(script);
  if (!tree) throw new Error('tree-sitter returned no tree');
  const problems: string[] = [];
  const walk = (node: Node) => {
    if (node.isError || node.isMissing) {
      problems.push(`${node.isMissing ? `MISSING ${node.type}` : 'ERROR'} at ${node.startPosition.row + 1}:${node.startPosition.column + 1}: ${JSON.stringify(node.text.slice(0, 80))}`);
    }
    for (const child of node.children) if (child) walk(child);
  };
  walk(tree.rootNode);
  if (problems.length === 0 && tree.rootNode.hasError) problems.push('the tree has an error the walk did not find');
  tree.delete();
  return problems;
}

/** The PowerShell of Windows user data: what EC2Launch v2 runs, between `<powershell>` and `</powershell>` (exactly one block). */
export function powershellBlock(userData: string): string {
  const blocks = [...userData.matchAll(/<powershell>([\s\S]*?)<\/powershell>/g)];
  if (blocks.length !== 1) throw new Error(`expected one <powershell> block, found ${blocks.length}`);
  return blocks[0][1];
}

/** The syntax tree of a script as an S-expression (for assertions on how a value was read). */
export async function powershellTree(script: string): Promise<string> {
  const tree = (await load()).parse(script);
  const text = tree!.rootNode.toString();
  tree!.delete();
  return text;
}

/** The text of each top-level statement of a script, in order (the parser's reading of where each ends). */
export async function powershellStatements(script: string): Promise<string[]> {
  const tree = (await load()).parse(script)!;
  const list = tree.rootNode.namedChildren.find((n) => n?.type === 'statement_list');
  const texts = (list?.namedChildren ?? []).filter((n) => n !== null && n.type !== 'comment').map((n) => n!.text);
  tree.delete();
  return texts;
}
