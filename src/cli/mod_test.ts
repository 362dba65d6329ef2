import { assertFacadeComplete } from "../../fixtures/facade.ts";
import * as facade from "./mod.ts";

Deno.test("the cli facade exports every module's public names", async () => {
  await assertFacadeComplete(new URL(".", import.meta.url), facade);
});
