package dev.bulwark.policy.protection;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What an app protection policy says beyond its name, platform and targets: the protected apps it covers, the template
 * it was made from, and its complete settings. Stored, and published as PolicyChanged.settingsJson, in this shape.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppProtectionBody(List<String> appIds, String templateId, AppProtectionSettings settings) {}
