import react from '@vitejs/plugin-react';
import postcssPresetMantine from 'postcss-preset-mantine';
import { defineConfig } from 'vite';

// The web app lives in web/; the server serves web/dist and answers /api itself.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  css: { postcss: { plugins: [postcssPresetMantine()] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The one chunk past 500 kB is ECharts (core, bar chart, grid, tooltip), loaded only on pages with charts.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // React and Mantine change less often than the app: their own files stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'mantine', test: /node_modules[\\/](@mantine|@floating-ui)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
