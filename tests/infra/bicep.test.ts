/**
 * Structural checks of the infrastructure as code (bicep/, infra/). No Bicep compiler can be
 * installed on this machine without downloading a binary, so these tests read the Bicep with a
 * small scanner (bicep-lite.ts) and check what a compiler would reject (unbalanced brackets,
 * missing or unknown module parameters, unknown module outputs, undeclared identifiers) plus the
 * project's own rules: no keys anywhere, local auth off, least-privilege roles from a known table.
 * Two optional suites go further when their tools are present:
 *  - the tree-sitter Bicep grammar (npm: tree-sitter + tree-sitter-bicep, prebuilt binaries in the
 *    packages, nothing downloaded) parses every file and fails on any syntax error; it is looked up
 *    in the project's node_modules, or in the folder named by TREE_SITTER_BICEP_DIR;
 *  - a `bicep` CLI on PATH compiles and lints main.bicep.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BicepFile,
  type ResourceDecl,
  bodyCode,
  duplicateSymbols,
  matching,
  objectEntries,
  parseBicep,
  readBicep,
  readSimpleYaml,
  undeclaredIdentifiers,
  unknownVarProperties,
  varObjectKeys,
  varStringArray,
  varStringMap,
  withoutComments,
} from './bicep-lite.js';

const ROOT = resolve(__dirname, '../..');
const BICEP_DIR = join(ROOT, 'bicep');
const INFRA_DIR = join(ROOT, 'infra');
const MAIN = join(INFRA_DIR, 'main.bicep');

/**
 * Built-in Azure RBAC role definitions this project may assign, by role name. The IDs are the same
 * in every tenant (Azure built-in roles reference); a role assignment whose role is not in this
 * table, or whose GUID differs from it, fails the tests.
 */
const BUILT_IN_ROLES: Record<string, string> = {
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  'Web PubSub Service Owner': '12cf5a90-567b-43ae-8102-96cf46c7d9b4',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
  'Cognitive Services OpenAI User': '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
};

/** Cosmos DB for NoSQL built-in data-plane roles (sqlRoleDefinitions, fixed IDs in every account). */
const COSMOS_BUILT_IN_ROLES: Record<string, string> = {
  'Cosmos DB Built-in Data Reader': '00000000-0000-0000-0000-000000000001',
  'Cosmos DB Built-in Data Contributor': '00000000-0000-0000-0000-000000000002',
};

/** Each role the function app's identity needs, and the one kind of resource it is granted on. */
const REQUIRED_ROLES: Record<string, string> = {
  'Storage Blob Data Owner': 'Microsoft.Storage/storageAccounts',
  'Storage Queue Data Contributor': 'Microsoft.Storage/storageAccounts',
  'Storage Table Data Contributor': 'Microsoft.Storage/storageAccounts',
  'Azure Service Bus Data Receiver': 'Microsoft.ServiceBus/namespaces',
  'Azure Service Bus Data Sender': 'Microsoft.ServiceBus/namespaces',
  'Web PubSub Service Owner': 'Microsoft.SignalRService/webPubSub',
  'Key Vault Secrets User': 'Microsoft.KeyVault/vaults',
  'Monitoring Metrics Publisher': 'Microsoft.Insights/components',
  'Cognitive Services OpenAI User': 'Microsoft.CognitiveServices/accounts',
};

// ---------------------------------------------------------------------------------------------
// helpers

function walk(dir: string, filter: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === '.azure' || entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path, filter));
    else if (filter(path)) out.push(path);
  }
  return out.sort();
}

const bicepFiles = () => [...walk(BICEP_DIR, (p) => p.endsWith('.bicep')), ...walk(INFRA_DIR, (p) => p.endsWith('.bicep'))];
const rel = (p: string) => relative(ROOT, p);
const parsed = new Map<string, BicepFile>();
function load(path: string): BicepFile {
  let file = parsed.get(path);
  if (!file) {
    file = readBicep(path);
    parsed.set(path, file);
  }
  return file;
}

/** Resources of a type (not `existing` references) across all Bicep files. */
function declaredResources(type: string): { file: BicepFile; res: ResourceDecl }[] {
  const out: { file: BicepFile; res: ResourceDecl }[] = [];
  for (const path of bicepFiles()) {
    const file = load(path);
    for (const res of file.resources) if (res.type === type && !res.existing) out.push({ file, res });
  }
  return out;
}

function onlyResource(type: string): { file: BicepFile; res: ResourceDecl; body: string } {
  const found = declaredResources(type);
  expect(
    found.map((f) => `${rel(f.file.path)}:${f.res.name}`),
    `exactly one ${type}`,
  ).toHaveLength(1);
  const { file, res } = found[0]!;
  return { file, res, body: bodyCode(file, res) };
}

function paramDefault(file: BicepFile, name: string): string | undefined {
  return file.params.find((p) => p.name === name)?.defaultText;
}

/** The value text of `key:` at the top level of a resource or module body. */
function bodyEntry(file: BicepFile, decl: { bodyOpen: number }, key: string): string | undefined {
  const entry = objectEntries(file.scan, decl.bodyOpen).find((e) => e.key === key);
  return entry ? file.scan.src.slice(entry.value.start, entry.value.end).trim() : undefined;
}

interface RoleUse {
  file: string;
  resource: string;
  roleName?: string;
  guid?: string;
  scopeSymbol?: string;
  problems: string[];
}

/**
 * Every Azure RBAC role assignment in a file, with the role it grants resolved to a name and GUID.
 * Accepted forms of roleDefinitionId:
 *   subscriptionResourceId('Microsoft.Authorization/roleDefinitions', MAP['Role name'])
 *   subscriptionResourceId('Microsoft.Authorization/roleDefinitions', MAP[loopVar])  (loop over a var of names)
 *   subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '<guid>')
 * where MAP is a `var` object of role name -> GUID.
 */
function roleAssignmentsOf(file: BicepFile): RoleUse[] {
  const uses: RoleUse[] = [];
  for (const res of file.resources) {
    if (res.type !== 'Microsoft.Authorization/roleAssignments') continue;
    const props = objectEntries(file.scan, res.bodyOpen).find((e) => e.key === 'properties');
    const scopeText = bodyEntry(file, res, 'scope');
    const base = { file: rel(file.path), resource: res.name, scopeSymbol: scopeText, problems: [] as string[] };
    if (!props) {
      uses.push({ ...base, problems: ['no properties'] });
      continue;
    }
    let open = props.value.start;
    while (/\s/.test(file.scan.code[open]!)) open++;
    const entries = objectEntries(file.scan, open);
    const get = (k: string) => {
      const e = entries.find((x) => x.key === k);
      return e ? file.scan.src.slice(e.value.start, e.value.end).trim() : undefined;
    };
    const roleExpr = get('roleDefinitionId') ?? '';
    if (get('principalType') !== "'ServicePrincipal'") base.problems.push("principalType is not 'ServicePrincipal'");
    if (!get('principalId')) base.problems.push('no principalId');
    if (!/^guid\(/.test(bodyEntry(file, res, 'name') ?? '')) base.problems.push('name is not a deterministic guid(...)');
    const m = /^subscriptionResourceId\(\s*'Microsoft\.Authorization\/roleDefinitions'\s*,\s*([\s\S]+)\)$/.exec(roleExpr);
    if (!m) {
      uses.push({ ...base, problems: [...base.problems, `roleDefinitionId is not a built-in role id: ${roleExpr}`] });
      continue;
    }
    const inner = m[1]!.trim();
    const literal = /^'([0-9a-fA-F-]{36})'$/.exec(inner);
    const byName = /^(\w+)\[\s*'([^']+)'\s*\]$/.exec(inner);
    const byLoop = /^(\w+)\[\s*(\w+)\s*\]$/.exec(inner);
    if (literal) {
      const guid = literal[1]!.toLowerCase();
      const name = Object.keys(BUILT_IN_ROLES).find((n) => BUILT_IN_ROLES[n] === guid);
      uses.push({ ...base, roleName: name, guid, problems: name ? base.problems : [...base.problems, `unknown role GUID ${guid}`] });
      continue;
    }
    const mapName = (byName ?? byLoop)?.[1];
    const map = mapName ? varStringMap(file, mapName) : new Map<string, string>();
    let names: string[] = [];
    if (byName) names = [byName[2]!];
    else if (byLoop && byLoop[2] === res.loopVar && res.loopSource) {
      names = /^\w+$/.test(res.loopSource) ? (varStringArray(file, res.loopSource) ?? []) : [];
      if (!names.length) base.problems.push(`cannot resolve the role names looped over in ${res.loopSource}`);
    } else {
      uses.push({ ...base, problems: [...base.problems, `cannot resolve role from ${inner}`] });
      continue;
    }
    for (const name of names) {
      const guid = map.get(name)?.toLowerCase();
      const problems = [...base.problems];
      if (!guid) problems.push(`role '${name}' is not in var ${mapName}`);
      else if (BUILT_IN_ROLES[name] === undefined) problems.push(`role '${name}' is not in the table of known built-in roles`);
      else if (BUILT_IN_ROLES[name] !== guid) problems.push(`role '${name}' has GUID ${guid}, expected ${BUILT_IN_ROLES[name]}`);
      uses.push({ ...base, roleName: name, guid, problems });
    }
  }
  return uses;
}

/** `module` paths resolved against the file that declares them. */
function modulePath(file: BicepFile, path: string): string {
  return resolve(dirname(file.path), path);
}

// ---------------------------------------------------------------------------------------------

describe('bicep-lite (the reader these tests rely on) detects what it must', () => {
  it('reports unbalanced brackets and unterminated strings', () => {
    expect(parseBicep("param a string = 'x\nvar b = 1").errors.join()).toMatch(/unterminated string/);
    expect(parseBicep('var a = {\n  b: [1\n}\n').errors.join()).toMatch(/closes|never closed/);
    expect(parseBicep("var a = '${b'\n").errors.length).toBeGreaterThan(0);
    expect(parseBicep("var a = 'it''s'\n").errors).toEqual([]); // two adjacent strings: still balanced
  });

  it('reads params, defaults, module params and outputs', () => {
    const f = parseBicep(
      [
        "@description('x = y')",
        'param req string',
        "param opt string = 'a=b'",
        'param nullable string?',
        "module m './m.bicep' = if (true) {",
        "  name: 'm'",
        '  params: {',
        "    one: 'x'",
        "    'two': concat('a', 'b')",
        '    three: {',
        '      nested: 1',
        '    }',
        '  }',
        '}',
        'output o string = m.outputs.x',
      ].join('\n'),
    );
    expect(f.errors).toEqual([]);
    expect(f.params.map((p) => [p.name, p.required])).toEqual([
      ['req', true],
      ['opt', false],
      ['nullable', false],
    ]);
    expect(f.params[1]!.defaultText).toBe("'a=b'");
    expect([...f.modules[0]!.params.keys()]).toEqual(['one', 'two', 'three']);
    expect(f.outputs.map((o) => o.name)).toEqual(['o']);
  });

  it('finds undeclared identifiers and duplicate symbols', () => {
    const f = parseBicep(['param a string', "var b = '${a}-${typo}'", 'var c = [for x in range(0, 2): x + missing]', 'var d = map([1], y => { v: y })', 'var b = 2'].join('\n'));
    expect(
      undeclaredIdentifiers(f)
        .map((u) => u.name)
        .sort(),
    ).toEqual(['missing', 'typo']);
    expect(duplicateSymbols(f)).toEqual(['b']);
    const g = parseBicep("var names = {\n  a: 'x'\n  'b c': 'y'\n}\nvar ok = '${names.a}${names['b c']}'\nvar bad = [\n  names.z\n  names['d e']\n]\n");
    expect(unknownVarProperties(g).map((u) => u.name)).toEqual(['names.z', 'names.d e']);
  });

  it('resolves role assignments and rejects unknown or mislabelled role GUIDs', () => {
    const f = parseBicep(
      [
        'param principalId string',
        'var roles = {',
        "  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'",
        "  'Key Vault Secrets User': '00000000-1111-2222-3333-444444444444'",
        '}',
        "var names = [\n  'Storage Blob Data Owner'\n  'Key Vault Secrets User'\n]",
        "resource st 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {\n  name: 'x'\n}",
        "resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for n in names: {",
        '  name: guid(st.id, principalId, roles[n])',
        '  scope: st',
        '  properties: {',
        "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles[n])",
        '    principalId: principalId',
        "    principalType: 'ServicePrincipal'",
        '  }',
        '}]',
        "resource rb 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
        "  name: 'fixed'",
        '  properties: {',
        "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')",
        '    principalId: principalId',
        '  }',
        '}',
      ].join('\n'),
    );
    const uses = roleAssignmentsOf(f);
    expect(uses.find((u) => u.roleName === 'Storage Blob Data Owner')?.problems).toEqual([]);
    expect(uses.find((u) => u.roleName === 'Key Vault Secrets User')?.problems.join()).toMatch(/expected 4633458b/);
    const owner = uses.find((u) => u.resource === 'rb')!; // the subscription "Owner" GUID: not in the table
    expect(owner.problems.join()).toMatch(/unknown role GUID/);
    expect(owner.problems.join()).toMatch(/principalType/);
    expect(owner.problems.join()).toMatch(/guid\(/);
  });

  it('reads a small YAML document', () => {
    const doc = readSimpleYaml('name: x\nservices:\n  api:\n    host: function # comment\n    list:\n      - a\n      - b\n') as any;
    expect(doc.services.api.host).toBe('function');
    expect(doc.services.api.list).toEqual(['a', 'b']);
  });
});

describe('every Bicep file is well formed', () => {
  const files = bicepFiles();

  it('finds the modules and the entry point', () => {
    expect(existsSync(MAIN)).toBe(true);
    expect(files.filter((f) => f.startsWith(BICEP_DIR)).length).toBeGreaterThanOrEqual(10);
  });

  it.each(files.map((f) => [rel(f), f]))('%s: brackets, strings and declarations', (_name, path) => {
    const file = load(path);
    expect(file.errors).toEqual([]);
    expect(duplicateSymbols(file)).toEqual([]);
    expect(undeclaredIdentifiers(file)).toEqual([]);
    expect(unknownVarProperties(file)).toEqual([]);
    for (const res of file.resources) {
      expect(res.apiVersion, `${res.name} API version`).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
      if (!res.existing) expect(res.bodyOpen, `${res.name} has a body`).toBeGreaterThan(-1);
    }
    // no Bicep expression may continue on a line that starts with an operator (older compilers reject it)
    const code = withoutComments(file.scan);
    expect(code.split('\n').filter((l) => /^\s*[?:](?!:)\s/.test(l))).toEqual([]);
  });

  it('uses one API version per resource type across files', () => {
    const versions = new Map<string, Set<string>>();
    for (const path of files) {
      for (const res of load(path).resources) {
        if (!versions.has(res.type)) versions.set(res.type, new Set());
        versions.get(res.type)!.add(res.apiVersion);
      }
    }
    const mixed = [...versions].filter(([, v]) => v.size > 1).map(([t, v]) => `${t}: ${[...v].join(', ')}`);
    expect(mixed).toEqual([]);
  });
});

describe('module wiring', () => {
  const files = bicepFiles();
  const withModules = files.map(load).filter((f) => f.modules.length > 0);

  it('main.bicep is the subscription-scoped entry with environmentName and location', () => {
    const main = load(MAIN);
    expect(main.targetScope).toBe('subscription');
    for (const name of ['environmentName', 'location']) {
      expect(main.params.find((p) => p.name === name)?.required, name).toBe(true);
    }
    expect(main.resources.some((r) => r.type === 'Microsoft.Resources/resourceGroups')).toBe(true);
    // Every module deploys into the app's resource group, except the Azure OpenAI grant, which goes where the (often shared) account is.
    const scopeOf = (name: string) => (name === 'openAiRole' ? 'resourceGroup(!empty(openAiResourceGroupName) ? openAiResourceGroupName : rg.name)' : 'rg');
    for (const m of main.modules) expect(bodyEntry(main, m, 'scope'), `${m.name} scope`).toBe(scopeOf(m.name));
  });

  it.each(withModules.map((f) => [rel(f.path), f.path]))('%s: each module exists, gets its required params, no unknown ones', (_n, path) => {
    const file = load(path);
    for (const mod of file.modules) {
      const target = modulePath(file, mod.path);
      expect(existsSync(target), `${mod.name} -> ${mod.path}`).toBe(true);
      const child = load(target);
      const declared = new Set(child.params.map((p) => p.name));
      const missing = child.params.filter((p) => p.required && !mod.params.has(p.name)).map((p) => p.name);
      const unknown = [...mod.params.keys()].filter((k) => !declared.has(k));
      expect(missing, `${mod.name}: required params not passed`).toEqual([]);
      expect(unknown, `${mod.name}: params the module does not declare`).toEqual([]);
      expect(bodyEntry(file, mod, 'name'), `${mod.name}: deployment name`).toBeTruthy();
    }
  });

  it.each(withModules.map((f) => [rel(f.path), f.path]))('%s: every module output it reads is declared', (_n, path) => {
    const file = load(path);
    const code = withoutComments(file.scan);
    const problems: string[] = [];
    for (const m of code.matchAll(/\b(\w+)\.outputs\.(\w+)/g)) {
      const mod = file.modules.find((x) => x.name === m[1]);
      if (!mod) {
        problems.push(`${m[1]} is not a module`);
        continue;
      }
      const child = load(modulePath(file, mod.path));
      if (!child.outputs.some((o) => o.name === m[2])) problems.push(`${m[1]}.outputs.${m[2]} is not declared in ${mod.path}`);
    }
    expect(problems).toEqual([]);
  });

  it('every module in bicep/ is used by main.bicep', () => {
    const main = load(MAIN);
    const used = new Set(main.modules.map((m) => modulePath(main, m.path)));
    const unused = walk(BICEP_DIR, (p) => p.endsWith('.bicep'))
      .filter((p) => !used.has(p))
      .map(rel);
    expect(unused).toEqual([]);
  });

  it('main.parameters.json supplies every required parameter from the azd environment', () => {
    const main = load(MAIN);
    const json = JSON.parse(readFileSync(join(INFRA_DIR, 'main.parameters.json'), 'utf8'));
    const given = json.parameters as Record<string, { value: unknown }>;
    for (const p of main.params.filter((x) => x.required)) expect(given[p.name], p.name).toBeDefined();
    for (const key of Object.keys(given))
      expect(
        main.params.some((p) => p.name === key),
        `${key} is a main.bicep param`,
      ).toBe(true);
    expect(given.environmentName!.value).toBe('${AZURE_ENV_NAME}');
    expect(given.location!.value).toBe('${AZURE_LOCATION}');
  });

  it('tags: azd-env-name on everything, azd-service-name api on the function app', () => {
    const main = load(MAIN);
    expect(varObjectKeys(main, 'tags')).toContain('azd-env-name');
    expect(withoutComments(main.scan)).toMatch(/'azd-env-name':\s*environmentName/);
    const fnModule = main.modules.find((m) => m.path.endsWith('function-app.bicep'))!;
    expect(fnModule.params.get('serviceName')).toBe("'api'");
    const { body } = onlyResource('Microsoft.Web/sites');
    expect(body).toMatch(/tags:\s*union\(tags,\s*\{\s*'azd-service-name':\s*serviceName\s*\}\)/);
  });

  it('outputs the function app name and host name and the service endpoints', () => {
    const main = load(MAIN);
    const values = main.outputs.map((o) => o.valueText);
    for (const expected of [
      'functionApp.outputs.name',
      'functionApp.outputs.defaultHostName',
      'cosmos.outputs.endpoint',
      'serviceBus.outputs.fullyQualifiedNamespace',
      'webPubSub.outputs.endpoint',
      'keyVault.outputs.uri',
      'storage.outputs.blobEndpoint',
    ]) {
      expect(values, expected).toContain(expected);
    }
    for (const o of main.outputs) expect(o.name, 'output names are azd env var style').toMatch(/^[A-Z][A-Z0-9_]*$/);
  });
});

describe('no keys, connection strings or shared secrets', () => {
  const texts = () => [
    ...bicepFiles().map((p) => ({ path: rel(p), text: withoutComments(load(p).scan), raw: readFileSync(p, 'utf8') })),
    ...walk(INFRA_DIR, (p) => /\.(json|ya?ml)$/.test(p)).map((p) => {
      const raw = readFileSync(p, 'utf8');
      return { path: rel(p), text: raw, raw };
    }),
  ];

  it('never lists keys or SAS tokens (listKeys, listConnectionStrings, listAccountSas, ...)', () => {
    for (const { path, raw } of texts()) {
      expect(raw, path).not.toMatch(/\blist(Keys|ConnectionStrings|AccountSas|ServiceSas|Secrets|Credentials)\b/i);
    }
  });

  it('has no key or connection-string settings', () => {
    const offenders: string[] = [];
    for (const { path, text } of texts()) {
      // The one allowed: the Application Insights connection string, which locates the ingestion
      // endpoint and grants nothing while the component has local auth disabled.
      const allowed = text.replace(/APPLICATIONINSIGHTS_CONNECTION_STRING:\s*appInsights\.properties\.ConnectionString/g, '');
      const patterns = [
        /connection_?string/i,
        /AccountKey|SharedAccessKey|SharedAccessSignature|accessKey|sharedKey(?!Access)|primaryKey|secondaryKey|masterKey|instrumentationKey/i,
        /\bAzureWebJobsStorage\s*:/, // the plain (connection string) form of the host storage setting
        /__accountKey|__connectionString/i,
      ];
      for (const re of patterns) {
        const m = re.exec(allowed);
        if (m) offenders.push(`${path}: ${m[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has no settings that Flex Consumption rejects or that carry keys', () => {
    const forbidden = [
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_NODE_DEFAULT_VERSION',
      'WEBSITE_CONTENTSHARE',
      'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
      'APPINSIGHTS_INSTRUMENTATIONKEY',
    ];
    for (const { path, text } of texts()) for (const name of forbidden) expect(text.includes(name), `${path}: ${name}`).toBe(false);
  });

  it('outputs nothing named like a secret', () => {
    for (const path of bicepFiles()) {
      const file = load(path);
      for (const o of file.outputs) expect(o.name, `${rel(path)} output`).not.toMatch(/secret|password|connection|accesskey|sas|(^|_)keys?$/i);
    }
  });
});

describe('local authentication is off and access is by identity', () => {
  it('Storage: no shared key, no public blob access, TLS 1.2, deployment and data containers', () => {
    const { file, body } = onlyResource('Microsoft.Storage/storageAccounts');
    expect(body).toMatch(/allowSharedKeyAccess:\s*false\b/);
    expect(body).toMatch(/allowBlobPublicAccess:\s*false\b/);
    expect(body).toMatch(/minimumTlsVersion:\s*'TLS1_2'/);
    expect(body).toMatch(/supportsHttpsTrafficOnly:\s*true\b/);
    const containers = declaredResources('Microsoft.Storage/storageAccounts/blobServices/containers');
    expect(containers).toHaveLength(2);
    for (const c of containers) expect(bodyCode(c.file, c.res)).toMatch(/publicAccess:\s*'None'/);
    expect(paramDefault(file, 'deploymentContainerName')).toBeDefined();
    expect(paramDefault(file, 'dataContainerName')).toBeDefined();
  });

  it('Service Bus: Standard, local auth disabled, rfq-events queue and marketplace-events topic as specified', () => {
    const { file, body } = onlyResource('Microsoft.ServiceBus/namespaces');
    expect(body).toMatch(/disableLocalAuth:\s*true\b/);
    expect(body).toMatch(/name:\s*'Standard'/);
    expect(paramDefault(file, 'rfqQueueName')).toBe("'rfq-events'");
    expect(paramDefault(file, 'eventsTopicName')).toBe("'marketplace-events'");
    expect(paramDefault(file, 'maxDeliveryCount')).toBe('10');
    const subs = file.params.find((p) => p.name === 'eventsTopicSubscriptions')!;
    expect(subs.defaultText).toMatch(/'notifications'/);
    expect(subs.defaultText).toMatch(/'analytics'/);
    const queue = onlyResource('Microsoft.ServiceBus/namespaces/queues').body;
    expect(queue).toMatch(/maxDeliveryCount:\s*maxDeliveryCount\b/);
    expect(queue).toMatch(/requiresDuplicateDetection:\s*true\b/);
    expect(queue).toMatch(/duplicateDetectionHistoryTimeWindow:\s*'PT10M'/);
    expect(queue).toMatch(/deadLetteringOnMessageExpiration:\s*true\b/);
    const sub = onlyResource('Microsoft.ServiceBus/namespaces/topics/subscriptions');
    expect(sub.res.loopSource).toBe('eventsTopicSubscriptions');
    expect(sub.body).toMatch(/deadLetteringOnMessageExpiration:\s*true\b/);
    // main.bicep must not rename the entities the app's triggers listen on
    const mod = load(MAIN).modules.find((m) => m.path.endsWith('service-bus.bicep'))!;
    for (const k of ['rfqQueueName', 'eventsTopicName', 'eventsTopicSubscriptions', 'maxDeliveryCount']) expect(mod.params.has(k), k).toBe(false);
  });

  it("Web PubSub: local auth disabled, its own identity, hub marketplace denying anonymous clients, events to the app authenticated with the service's identity", () => {
    const { body } = onlyResource('Microsoft.SignalRService/webPubSub');
    expect(body).toMatch(/disableLocalAuth:\s*true\b/);
    expect(body).toMatch(/disableAadAuth:\s*false\b/);
    expect(body).toMatch(/identity:\s*\{\s*type:\s*'SystemAssigned'\s*\}/);
    const hub = onlyResource('Microsoft.SignalRService/webPubSub/hubs');
    expect(hub.body).toMatch(/anonymousConnectPolicy:\s*'deny'/i);
    // one event handler: connected and disconnected, with the service's managed-identity token for the audience the app checks
    expect(hub.body).toMatch(
      /eventHandlers:\s*\[\s*\{\s*urlTemplate:\s*eventHandlerUrl\s+systemEvents:\s*\[\s*'connected'\s+'disconnected'\s*\]\s+auth:\s*\{\s*type:\s*'ManagedIdentity'\s+managedIdentity:\s*\{\s*resource:\s*eventAudience\s*\}\s*\}\s*\}\s*\]/,
    );
    const main = load(MAIN);
    expect(withoutComments(main.scan)).toMatch(/var webPubSubHubName = 'marketplace'/);
    const mod = main.modules.find((m) => m.path.endsWith('web-pubsub-hub.bicep'))!;
    expect(mod.params.get('hubName')).toBe('webPubSubHubName');
    expect(mod.params.get('eventAudience')).toBe('webPubSubEventAudience');
    // the URL is the app's event handler route under the host's route prefix
    const routePrefix = JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8')).extensions.http.routePrefix;
    const route = /name: 'realtimeEvents',[\s\S]*?route: '([^']+)'/.exec(readFileSync(join(ROOT, 'functions/realtime.http.ts'), 'utf8'))![1];
    expect(mod.params.get('eventHandlerUrl')).toBe(`'\${functionApp.outputs.uri}/${routePrefix}/${route}'`);
  });

  it('Cosmos DB: serverless NoSQL, key auth disabled, database marketplace, containers from a parameter array', () => {
    const { file, body } = onlyResource('Microsoft.DocumentDB/databaseAccounts');
    expect(body).toMatch(/disableLocalAuth:\s*true\b/);
    expect(body).toMatch(/disableKeyBasedMetadataWriteAccess:\s*true\b/);
    expect(body).toMatch(/'EnableServerless'/);
    // The adapter's full-text and vector policies need these account capabilities.
    expect(body).toMatch(/'EnableNoSQLVectorSearch'/);
    expect(body).toMatch(/'EnableNoSQLFullTextSearch'/);
    expect(body).toMatch(/kind:\s*'GlobalDocumentDB'/);
    expect(file.params.find((p) => p.name === 'containers')?.type).toBe('array');
    const containers = onlyResource('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
    expect(containers.res.loopSource).toBe('containers');
    const main = load(MAIN);
    expect(withoutComments(main.scan)).toMatch(/var cosmosDatabaseName = 'marketplace'/);
    expect(main.modules.find((m) => m.path.endsWith('cosmos-db.bicep'))!.params.get('databaseName')).toBe('cosmosDatabaseName');
  });

  it('Cosmos DB: the container list in infra/cosmos-containers.json is valid', () => {
    const { containers } = JSON.parse(readFileSync(join(INFRA_DIR, 'cosmos-containers.json'), 'utf8'));
    expect(Array.isArray(containers) && containers.length > 0).toBe(true);
    const names = new Set<string>();
    for (const c of containers) {
      expect(c.name, JSON.stringify(c)).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/);
      expect(names.has(c.name), `duplicate ${c.name}`).toBe(false);
      names.add(c.name);
      expect(Array.isArray(c.partitionKeyPaths) && c.partitionKeyPaths.length >= 1 && c.partitionKeyPaths.length <= 3).toBe(true);
      for (const p of c.partitionKeyPaths) expect(p).toMatch(/^\/[A-Za-z_][\w/]*$/);
      if ('defaultTtl' in c) expect(Number.isInteger(c.defaultTtl) && (c.defaultTtl === -1 || c.defaultTtl > 0)).toBe(true);
      for (const k of Object.keys(c)) expect(['name', 'partitionKeyPaths', 'defaultTtl', 'uniqueKeys', 'indexingPolicy', 'fullTextPolicy', 'vectorEmbeddingPolicy']).toContain(k);
    }
  });

  it('Key Vault: RBAC authorization, soft delete, purge protection', () => {
    const { body } = onlyResource('Microsoft.KeyVault/vaults');
    expect(body).toMatch(/enableRbacAuthorization:\s*true\b/);
    expect(body).toMatch(/enableSoftDelete:\s*true\b/);
    expect(body).toMatch(/enablePurgeProtection:\s*true\b/);
    expect(body).not.toMatch(/accessPolicies/);
  });

  it('Log Analytics and Application Insights: local auth disabled', () => {
    expect(onlyResource('Microsoft.OperationalInsights/workspaces').body).toMatch(/disableLocalAuth:\s*true\b/);
    const ai = onlyResource('Microsoft.Insights/components').body;
    expect(ai).toMatch(/DisableLocalAuth:\s*true\b/);
    expect(ai).toMatch(/WorkspaceResourceId:/);
  });

  it('Function app: Flex Consumption, Linux, Node 20, identity-based deployment storage and settings', () => {
    const plan = onlyResource('Microsoft.Web/serverfarms').body;
    expect(plan).toMatch(/name:\s*'FC1'/);
    expect(plan).toMatch(/tier:\s*'FlexConsumption'/);
    expect(plan).toMatch(/reserved:\s*true\b/);

    const { file, res, body } = onlyResource('Microsoft.Web/sites');
    expect(bodyEntry(file, res, 'kind')).toBe("'functionapp,linux'");
    expect(body).toMatch(/functionAppConfig:/);
    expect(body).toMatch(/type:\s*'blobContainer'/);
    expect(body).toMatch(/type:\s*'UserAssignedIdentity'/);
    expect(body).toMatch(/type:\s*'SystemAssignedIdentity'/);
    expect(body).toMatch(/instanceMemoryMB:\s*instanceMemoryMB\b/);
    expect(body).toMatch(/maximumInstanceCount:\s*maximumInstanceCount\b/);
    expect(body).toMatch(/httpsOnly:\s*true\b/);
    expect(paramDefault(file, 'runtimeName')).toBe("'node'");
    expect(paramDefault(file, 'runtimeVersion')).toBe("'22'");
    const main = load(MAIN);
    const fnModule = main.modules.find((m) => m.path.endsWith('function-app.bicep'))!;
    expect(fnModule.params.get('runtimeName')).toBe("'node'");
    expect(fnModule.params.get('runtimeVersion')).toBe("'22'");
    expect(fnModule.params.get('instanceMemoryMB')).toBe('instanceMemoryMB');
    expect(fnModule.params.get('maximumInstanceCount')).toBe('maximumInstanceCount');
    expect(main.params.some((p) => p.name === 'instanceMemoryMB')).toBe(true);
    expect(main.params.some((p) => p.name === 'maximumInstanceCount')).toBe(true);

    const settings = new Map([...varStringMap(file, 'identitySettings'), ...varStringMap(file, 'userAssignedSettings')]);
    const keys = new Set([...varObjectKeys(file, 'identitySettings'), ...varObjectKeys(file, 'userAssignedSettings')]);
    for (const k of [
      'AzureWebJobsStorage__accountName',
      'AzureWebJobsStorage__credential',
      'AzureWebJobsStorage__clientId',
      'ServiceBusConnection__fullyQualifiedNamespace',
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
      'APP_ENV',
    ]) {
      expect(keys.has(k), k).toBe(true);
    }
    expect(settings.get('AzureWebJobsStorage__credential')).toBe('managedidentity');
    expect(settings.get('APP_ENV')).toBe('azure');
    expect(withoutComments(file.scan)).toMatch(/APPLICATIONINSIGHTS_AUTHENTICATION_STRING:[^\n]*Authorization=AAD/);
    // the settings resource merges the identity settings last, so nothing passed in can override them
    expect(onlyResource('Microsoft.Web/sites/config').body).toMatch(/union\(appSettings,\s*identitySettings,\s*userAssignedSettings\)/);
    // basic (user name / password) publishing is off
    const basic = declaredResources('Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(basic.map((b) => bodyEntry(b.file, b.res, 'name')).sort()).toEqual(["'ftp'", "'scm'"]);
    for (const b of basic) expect(bodyCode(b.file, b.res)).toMatch(/allow:\s*false\b/);
  });
});

describe('role assignments of the function app identity', () => {
  const uses = () => bicepFiles().flatMap((p) => roleAssignmentsOf(load(p)));

  it('use only known built-in role definition GUIDs, resolved by name', () => {
    const all = uses();
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((u) => u.problems.length).map((u) => `${u.file}:${u.resource} ${u.roleName ?? ''}: ${u.problems.join('; ')}`)).toEqual([]);
  });

  it('the role tables in role-assignments.bicep and openai-role.bicep match the known GUIDs exactly', () => {
    const tables = ['role-assignments.bicep', 'openai-role.bicep'].flatMap((name) => [...varStringMap(load(join(BICEP_DIR, name)), 'builtInRoles')]);
    expect(Object.fromEntries(tables)).toEqual(BUILT_IN_ROLES);
  });

  it('grant every required role, each on the one resource it is for (least privilege)', () => {
    const all = uses();
    for (const [role, scopeType] of Object.entries(REQUIRED_ROLES)) {
      const grants = all.filter((u) => u.roleName === role);
      expect(grants.length, role).toBe(1);
      const scope = grants[0]!.scopeSymbol;
      const target = load(join(ROOT, grants[0]!.file)).resources.find((r) => r.name === scope);
      expect(target?.type, `${role} scope`).toBe(scopeType);
    }
    // nothing beyond the required roles, and never at resource group or subscription scope
    expect(all.map((u) => u.roleName).sort()).toEqual(Object.keys(REQUIRED_ROLES).sort());
    expect(all.every((u) => u.scopeSymbol && !/resourceGroup\(|subscription\(/.test(u.scopeSymbol))).toBe(true);
  });

  it('Cosmos DB Built-in Data Contributor is a Cosmos SQL role assignment scoped to the database', () => {
    const found = declaredResources('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
    expect(found).toHaveLength(1);
    const { file, res } = found[0]!;
    const body = bodyCode(file, res);
    const table = varStringMap(file, 'cosmosBuiltInRoles');
    expect(Object.fromEntries(table)).toEqual(COSMOS_BUILT_IN_ROLES);
    const roleVar = /var dataContributorRoleId = cosmosBuiltInRoles\['([^']+)'\]/.exec(withoutComments(file.scan));
    expect(roleVar?.[1]).toBe('Cosmos DB Built-in Data Contributor');
    expect(body).toMatch(/roleDefinitionId:\s*'\$\{account\.id\}\/sqlRoleDefinitions\/\$\{dataContributorRoleId\}'/);
    expect(body).toMatch(/scope:\s*'\$\{account\.id\}\/dbs\/\$\{databaseName\}'/);
    expect(body).toMatch(/principalId:\s*principalId/);
  });

  it('all role modules get the function app principal', () => {
    const main = load(MAIN);
    for (const suffix of ['role-assignments.bicep', 'cosmos-data-role.bicep', 'openai-role.bicep']) {
      const mod = main.modules.find((m) => m.path.endsWith(suffix))!;
      expect(mod.params.get('principalId'), suffix).toBe('functionApp.outputs.principalId');
    }
  });
});

describe('diagnostic settings', () => {
  it.each([
    'Microsoft.Web/sites',
    'Microsoft.ServiceBus/namespaces',
    'Microsoft.SignalRService/webPubSub',
    'Microsoft.DocumentDB/databaseAccounts',
    'Microsoft.KeyVault/vaults',
    'Microsoft.Storage/storageAccounts/blobServices',
  ])('%s sends logs or metrics to Log Analytics', (type) => {
    const { file, res } = onlyResource(type);
    const diag = file.resources.filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings' && bodyEntry(file, r, 'scope') === res.name);
    expect(diag, `${type} diagnostic setting`).toHaveLength(1);
    const body = bodyCode(file, diag[0]!);
    expect(body).toMatch(/workspaceId:\s*logAnalyticsWorkspaceId/);
    expect(body).toMatch(/enabled:\s*true/);
  });
});

describe('azure.yaml', () => {
  const doc = () => readSimpleYaml(readFileSync(join(INFRA_DIR, 'azure.yaml'), 'utf8')) as any;

  it('names the api service, a js/ts function host, and a project folder that builds', () => {
    const y = doc();
    expect(y.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    const api = y.services?.api;
    expect(api, 'services.api').toBeTruthy();
    expect(api.host).toBe('function');
    expect(['js', 'ts']).toContain(api.language);
    const project = resolve(INFRA_DIR, api.project ?? '.');
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(pkg.scripts?.build, 'package.json has a build script').toBeTruthy();
  });

  it('builds the deploy package before packaging and deploys that folder as it is', () => {
    const api = doc().services.api;
    const hook = api.hooks?.prepackage;
    expect(hook, 'prepackage hook').toBeTruthy();
    const runs = [hook.run, hook.posix?.run, hook.windows?.run].filter(Boolean);
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) expect(r).toBe('npm run package');
    // scripts/package.mjs writes dist/package by default.
    expect(api.dist).toBe('dist/package');
    expect(String(api.remoteBuild)).toBe('false');
    // azd refuses remoteBuild: false when the project's .funcignore leaves node_modules out.
    const project = resolve(INFRA_DIR, api.project);
    const ignored = readFileSync(join(project, '.funcignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored.filter((line) => /^\/?node_modules\/?$/.test(line))).toEqual([]);
  });

  it('points at main.bicep', () => {
    const infra = doc().infra ?? {};
    const dir = resolve(INFRA_DIR, infra.path ?? 'infra');
    expect(existsSync(join(dir, `${infra.module ?? 'main'}.bicep`))).toBe(true);
    expect(join(dir, `${infra.module ?? 'main'}.bicep`)).toBe(MAIN);
  });
});

describe('operator dashboard', () => {
  it('is deployed by main.bicep and charts what operators watch', () => {
    const main = load(MAIN);
    const mod = main.modules.find((m) => m.path.endsWith('dashboard.bicep'));
    expect(mod).toBeTruthy();
    const file = load(modulePath(main, mod!.path));
    expect(file.resources.some((r) => r.type === 'Microsoft.Portal/dashboards')).toBe(true);
    const text = file.scan.src;
    for (const needle of [
      'OnDemandFunctionExecutionCount', // function executions
      'countif(success == false)', // function failures
      'toint(resultCode) >= 500', // HTTP 5xx rate
      'percentile(duration, 95)', // latency
      'ActiveMessages', // Service Bus active
      'DeadletteredMessages', // Service Bus dead-letter
      'TotalRequestUnits', // Cosmos RU
      "'429'", // Cosmos throttling
    ]) {
      expect(text, needle).toContain(needle);
    }
    // every part has a position and a type
    const open = file.scan.code.indexOf('{', file.resources.find((r) => r.type === 'Microsoft.Portal/dashboards')!.start);
    expect(matching(file.scan.code, open)).toBeGreaterThan(open);
  });
});

function bicepCli(): string | undefined {
  try {
    execFileSync('bicep', ['--version'], { stdio: 'pipe' });
    return 'bicep';
  } catch {
    return undefined;
  }
}

describe.runIf(bicepCli())('bicep CLI (runs only where a bicep binary is on PATH)', () => {
  it('compiles and lints infra/main.bicep without errors', () => {
    const out = execFileSync('bicep', ['build', MAIN, '--stdout'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    const template = JSON.parse(out);
    expect(template.resources).toBeTruthy();
    expect(out).not.toMatch(/listKeys/i);
    execFileSync('bicep', ['lint', MAIN], { stdio: 'pipe' });
  });
});

interface TreeSitterNode {
  type: string;
  isMissing: boolean;
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  children: TreeSitterNode[];
}

/** The tree-sitter parser with the Bicep grammar, if installed (see the file header). */
function bicepGrammar(): { parse(src: string): { rootNode: TreeSitterNode } } | undefined {
  const bases = [join(ROOT, 'package.json')];
  if (process.env.TREE_SITTER_BICEP_DIR) bases.push(join(process.env.TREE_SITTER_BICEP_DIR, 'package.json'));
  for (const base of bases) {
    try {
      const req = createRequire(base);
      const Parser = req('tree-sitter');
      const language = req('tree-sitter-bicep');
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

const grammar = bicepGrammar();

describe.runIf(grammar)('tree-sitter Bicep grammar (runs only where tree-sitter-bicep is installed)', () => {
  it.each(bicepFiles().map((f) => [rel(f), f]))('%s parses without syntax errors', (_n, path) => {
    const src = readFileSync(path, 'utf8');
    const errors: string[] = [];
    const visit = (node: TreeSitterNode) => {
      if (node.type === 'ERROR' || node.isMissing) {
        const at = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
        errors.push(`${node.isMissing ? `missing ${node.type}` : 'syntax error'} at ${at}: ${src.slice(node.startIndex, node.startIndex + 60)}`);
      }
      for (const child of node.children) visit(child);
    };
    visit(grammar!.parse(src).rootNode);
    expect(errors).toEqual([]);
  });
});
