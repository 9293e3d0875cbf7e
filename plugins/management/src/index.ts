// Placeholder while the plugin is built: a plugin with no taps changes nothing.
import { definePlugin } from '@gatehousejs/core';

export default definePlugin({
  id: 'management',
  apiVersion: 1,
  setup() {},
});
