// A webpack loader for the app builds only: it swaps zod's JSON-Schema modules (the generator,
// its per-type processors and `fromJSONSchema`, about 17 KB minified) for stubs with the same
// export names that throw if called. Classic zod wires them into every schema, so tree shaking
// cannot drop them, yet the app never converts a schema; the server keeps full zod for
// fastify-type-provider-zod. config/index.ts applies it to those four files of zod.

function exportNames(source) {
  const names = new Set()
  for (const m of source.matchAll(
    /^export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/gm,
  )) {
    names.add(m[1])
  }
  for (const m of source.matchAll(/^export\s*\{([^}]*)\}\s*;?\s*$/gm)) {
    for (const part of m[1].split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
      if (name) names.add(name)
    }
  }
  return [...names]
}

module.exports = function zodJsonSchemaStub(source) {
  const names = exportNames(source)
  if (names.length === 0) return source // an unexpected shape: keep the real module
  const lines = [
    'function unavailable() {',
    "  throw new Error('zod JSON Schema is not bundled in the app (config/zod-json-schema-stub.js)')",
    '}',
    ...names.map((name) => `export { unavailable as ${name} }`),
  ]
  return `${lines.join('\n')}\n`
}
