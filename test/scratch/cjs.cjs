const core = require('@hookproof/core');

require('./run-checks.cjs')(core, require('./deliveries.cjs')).then((result) => {
  result.resolved = require.resolve('@hookproof/core');
  console.log(JSON.stringify(result));
});
