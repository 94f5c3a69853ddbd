// Action entry: only calls run().
import { run } from './main.ts';

await run();
