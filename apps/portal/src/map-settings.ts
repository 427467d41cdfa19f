import { createContext } from 'react';

/** Deployment settings of the maps, given by the service in the page itself. */
export interface MapSettings {
  /** A raster tile server ({z}/{x}/{y}); null: the outlines shipped with the app, no internet needed. */
  tileUrl: string | null;
}

export const MapSettingsContext = createContext<MapSettings>({ tileUrl: null });

export const mapSettingsOfPage = (): MapSettings => ({
  tileUrl: document.querySelector<HTMLMetaElement>('meta[name="poc-tile-url"]')?.content || null,
});
