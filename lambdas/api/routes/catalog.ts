import { catalogGenres, catalogLanguages } from "../../../shared/domain/catalogVocabulary.ts";
import { type ApiResult, json } from "../http.ts";

/** The values custom-list filters accept: `genres` and `languages` (ISO 639-1). */
export async function catalogVocabulary(): Promise<ApiResult> {
  return json(200, { genres: catalogGenres, languages: catalogLanguages });
}
