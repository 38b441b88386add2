#!/usr/bin/env node
// The `dendrite` command. The TypeScript sources are compiled to dist/ by `npm install` (the prepare script).
import('../dist/cli/main.js')
  .then((cli) => cli.main(process.argv))
  .catch((error) => {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
      console.error('dendrite: the compiled files are missing; run `npm install` (or `npm run build`) in the dendrite folder first.');
    } else {
      console.error(`dendrite: ${error?.message ? error.message : error}`);
    }
    process.exitCode = 1;
  });
