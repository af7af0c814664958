/**
 * Which way dependencies may point (`npm run deps`, part of `npm test`): services use packages,
 * and nothing else. A package is shared by services and the CLI, so it never imports a service;
 * a service never imports another (what two share belongs in a package); code that ships never
 * imports test code; and no module reaches itself again through its imports.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle makes two modules one: neither can be understood, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'packages-below-services',
      comment: 'Packages are what services and the CLI call; a package importing a service points up.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'services-apart',
      comment: 'A service never imports another service: what two services share lives in a package.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'shipped-code-without-tests',
      comment: 'Source that ships never imports test code or the test kit.',
      severity: 'error',
      from: { path: '^(packages|services)/[^/]+/src/', pathNot: '^packages/testkit/' },
      to: { path: ['(^|/)test/', '^packages/testkit/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '^\\.'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
