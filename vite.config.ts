import { defineConfig } from 'vite';
import { tkDemo } from './demo/dev-server.js';

// `npm start` serves demo/ with the embedded Timekit emulator (see demo/dev-server.ts).
export default defineConfig({
  root: 'demo',
  plugins: [tkDemo()],
  // A fixed port: the companion allows exactly this page origin.
  server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173), strictPort: true },
});
