/**
 * Test helper: the structure of an exported type, written out in full (every property, its
 * optionality and type, nested interfaces expanded, union members sorted) with the TypeScript
 * compiler, so a snapshot of it changes exactly when the document's shape changes. Comments and
 * declaration order do not count; names of types do not either, only what they contain.
 */
import ts from 'typescript';

export function typeShape(file: string, exportName: string): string {
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file}: not found by the compiler`);
  const symbol = checker
    .getExportsOfModule(checker.getSymbolAtLocation(source) as ts.Symbol)
    .find((s) => s.name === exportName);
  if (!symbol) throw new Error(`${file}: no export named ${exportName}`);
  const type = checker.getDeclaredTypeOfSymbol(symbol);

  const expanding = new Set<ts.Type>();
  const shape = (t: ts.Type, indent: string): string => {
    if (t.isUnion()) {
      return t.types
        .map((m) => shape(m, indent))
        .sort()
        .join(' | ');
    }
    if (checker.isArrayType(t)) {
      const [element] = checker.getTypeArguments(t as ts.TypeReference);
      const inner = element ? shape(element, indent) : 'unknown';
      return inner.includes(' | ') ? `(${inner})[]` : `${inner}[]`;
    }
    if (checker.isTupleType(t)) {
      return `[${checker
        .getTypeArguments(t as ts.TypeReference)
        .map((e) => shape(e, indent))
        .join(', ')}]`;
    }
    const properties = t.getProperties();
    const isObject = (t.flags & ts.TypeFlags.Object) !== 0 && properties.length > 0;
    if (!isObject || t.getCallSignatures().length > 0) return checker.typeToString(t);
    if (expanding.has(t)) return `<recursive ${checker.typeToString(t)}>`;
    expanding.add(t);
    const inner = `${indent}  `;
    const lines = properties
      .map((p) => {
        const optional = (p.flags & ts.SymbolFlags.Optional) !== 0 ? '?' : '';
        const declaration = p.valueDeclaration ?? p.declarations?.[0];
        const propertyType = declaration
          ? checker.getTypeOfSymbolAtLocation(p, declaration)
          : checker.getTypeOfSymbol(p);
        // an optional property's type includes undefined: the `?` already says so
        const text = shape(checker.getNonNullableType(propertyType), inner);
        return `${inner}${p.name}${optional}: ${optional ? text : shape(propertyType, inner)};`;
      })
      .sort();
    expanding.delete(t);
    const index = checker
      .getIndexInfosOfType(t)
      .map(
        (info) =>
          `${inner}[key: ${checker.typeToString(info.keyType)}]: ${shape(info.type, inner)};`,
      );
    return `{\n${[...index, ...lines].join('\n')}\n${indent}}`;
  };
  return `${shape(type, '')}\n`;
}
