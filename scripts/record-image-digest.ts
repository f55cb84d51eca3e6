/**
 * CLI: `npm run image:record-digest -- --env environments/aws-dev.yaml --component gateway --digest-file digest.txt`.
 * Pins the image the pipeline just pushed in the environment file (see delivery/image-digest.ts).
 */
import { runRecordImageDigestCli } from '../delivery/record-image-digest-cli';

const result = runRecordImageDigestCli(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
