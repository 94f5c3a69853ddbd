// Preloaded into a measured child (`node --import ./bench/rusage.ts …`): at exit, writes the process's own CPU
// time and peak RSS to the file named by AUP_BENCH_RUSAGE.
import { writeFileSync } from 'node:fs';

const file = process.env.AUP_BENCH_RUSAGE;
if (file)
  process.on('exit', () => {
    const r = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ cpu_s: (r.userCPUTime + r.systemCPUTime) / 1e6, rss_mb: r.maxRSS / 1024 }),
    );
  });
