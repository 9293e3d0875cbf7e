// Where things are in the repo, from the compiled test's location (test/dist/helpers).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = path.join(REPO_ROOT, 'core', 'bin', 'gatehouse.js');
export const QUICKSTART = path.join(REPO_ROOT, 'examples', 'quickstart.yaml');
export const OPENAI_MLFLOW = path.join(REPO_ROOT, 'examples', 'openai-mlflow.yaml');
export const REAL_PROVIDERS = path.join(REPO_ROOT, 'examples', 'real-providers.yaml');
export const CUSTOM_PROVIDER_DIR = path.join(REPO_ROOT, 'examples', 'custom-provider');
