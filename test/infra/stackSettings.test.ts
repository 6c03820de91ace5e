import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { traktDefaults } from "#config/env.ts";
import { contextKeys, readStackSettings } from "#infra/stacks/stackSettings.ts";

describe("readStackSettings", () => {
  it("defaults the Trakt URLs and leaves the optional values out", () => {
    // Prepare
    const app = new App();

    // Act
    const settings = readStackSettings(app.node);

    // Assess
    expect(settings).toEqual({ traktApiUrl: traktDefaults.apiUrl, traktAuthUrl: traktDefaults.authUrl });
  });

  it("reads every context key", () => {
    // Prepare
    const app = new App({
      context: {
        [contextKeys.traktClientId]: "client",
        [contextKeys.jwtIssuer]: "https://issuer.example.com/",
        [contextKeys.jwtAudience]: "aud-1, aud-2",
        [contextKeys.traktApiUrl]: "https://trakt-stand-in.example.com",
        [contextKeys.traktAuthUrl]: "https://auth.trakt-stand-in.example.com",
        [contextKeys.alarmEmail]: "ops@example.com",
      },
    });

    // Act
    const settings = readStackSettings(app.node);

    // Assess
    expect(settings).toEqual({
      traktClientId: "client",
      jwt: { issuer: "https://issuer.example.com/", audience: ["aud-1", "aud-2"] },
      traktApiUrl: "https://trakt-stand-in.example.com",
      traktAuthUrl: "https://auth.trakt-stand-in.example.com",
      alarmEmail: "ops@example.com",
    });
  });

  it.each([
    [contextKeys.jwtIssuer, "https://issuer.example.com/"],
    [contextKeys.jwtAudience, "aud"],
  ])("rejects %s without its partner", (key, value) => {
    // Prepare
    const app = new App({ context: { [key]: value } });

    // Act & Assess
    expect(() => readStackSettings(app.node)).toThrow(/jwtIssuer.*jwtAudience/);
  });

  it.each([contextKeys.traktApiUrl, contextKeys.traktAuthUrl])("refuses a plain-http %s", (key) => {
    // Prepare
    const app = new App({ context: { [key]: "http://api.trakt.tv" } });

    // Act & Assess
    expect(() => readStackSettings(app.node)).toThrow(/https/);
  });
});
