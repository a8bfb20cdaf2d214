import { Map as MapIcon } from 'lucide-react';
import { defineFeature } from '../feature';

// The map: sites and devices where they are, with their statuses and the links between them; an offline base map
// by default, a tile server if one is set.
export const mapFeature = defineFeature({
  id: 'map',
  nav: [{ to: '/map', label: 'Map', icon: MapIcon, group: 'Fleet', key: 'w' }],
});
