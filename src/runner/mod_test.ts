import { assertFacadeComplete } from "../../fixtures/facade.ts";
import * as facade from "./mod.ts";

Deno.test("the runner facade exports every module's public names", async () => {
  await assertFacadeComplete(new URL(".", import.meta.url), facade);
});
