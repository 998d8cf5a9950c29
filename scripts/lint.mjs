// Project rules a type checker cannot see. Fails with the file and the rule broken.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const problems = [];
function walk(dir, visit) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, visit);
    else visit(path);
  }
}

for (const pkg of readdirSync('packages')) {
  const src = join('packages', pkg, 'src');
  try { statSync(src); } catch { continue; }
  walk(src, (file) => {
    if (!/\.(ts|mts)$/.test(file)) return;
    const text = readFileSync(file, 'utf8');
    // Vendor knowledge is data: no branching on vendor ids outside the profiles.
    if (!file.includes(join('core', 'src', 'vendors')) && /switch\s*\(\s*\w*vendor\w*\s*\)/i.test(text)) {
      problems.push(`${file}: switch on a vendor: put vendor knowledge in core/src/vendors/`);
    }
    if (/\bas any\b|:\s*any\b/.test(text)) problems.push(`${file}: 'any' in source: use unknown or a precise type`);
    if (/\.\.\/shared|shared\/vectors/.test(text)) problems.push(`${file}: reads ../shared, which users' clones do not have`);
    if (/console\.(log|error|warn)\([^)]*secret/i.test(text)) problems.push(`${file}: logs a value named secret`);
  });
}
walk('packages', (file) => {
  if (/\.(test|spec)\.ts$/.test(file)) {
    const text = readFileSync(file, 'utf8');
    if (/\b(it|test|describe)\.only\(/.test(text)) problems.push(`${file}: .only left in a test`);
    if (/expect\((true|1)\)\.(toBe|toEqual)\((true|1)\)/.test(text)) problems.push(`${file}: an assertion that cannot fail`);
  }
});

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
