import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';

/**
 * Every field of the spec a user writes carries a doc comment (editors show it on hover), and every field holding
 * a value says its default: `@default ...`, or "No default: required." The keys of a map whose parent states the
 * default (`images.overrides`) share it. Read through the compiler, as an editor does.
 */
function undocumentedFields(): string[] {
  const file = join(packageRoot(), 'model', 'spec.ts');
  const program = ts.createProgram([file], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const input = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((s) => s.name === 'StackInput')!;
  const missing: string[] = [];
  const seen = new Set<ts.Type>();
  const isGroup = (type: ts.Type) => {
    const bare = checker.getNonNullableType(type);
    return !!(bare.flags & ts.TypeFlags.Object) && !checker.isArrayType(bare);
  };
  const visit = (type: ts.Type, path: string, parentStatesDefault: boolean) => {
    const bare = checker.getNonNullableType(type);
    if (seen.has(bare)) return;
    seen.add(bare);
    if (bare.isUnion()) return bare.types.forEach((member) => visit(member, path, parentStatesDefault));
    if (checker.isArrayType(bare)) return visit(checker.getTypeArguments(bare as ts.TypeReference)[0]!, `${path}[]`, false);
    if (!(bare.flags & ts.TypeFlags.Object)) return;
    for (const property of bare.getProperties()) {
      const where = path ? `${path}.${property.name}` : property.name;
      const docs = ts.displayPartsToString(property.getDocumentationComment(checker));
      const statesDefault = property.getJsDocTags(checker).some((t) => t.name === 'default') || docs.includes('No default: required.');
      const propertyType = checker.getTypeOfSymbol(property);
      if (!parentStatesDefault && (isGroup(propertyType) ? docs.trim() === '' && !statesDefault : !statesDefault)) missing.push(where);
      visit(propertyType, where, statesDefault);
    }
  };
  visit(checker.getDeclaredTypeOfSymbol(input), '', false);
  return missing;
}

describe('the spec input type', () => {
  it('documents the default of every field', () => {
    expect(undocumentedFields()).toEqual([]);
  }, 120_000);
});
