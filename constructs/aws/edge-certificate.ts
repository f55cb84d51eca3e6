import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Annotations, Construct, Fn, TerraformIterator } from '../core/cdktf';
import { invalidProp } from './validation';

const HOST_NAME = /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** ACM's hard limit of names per certificate (the default quota is 10; it can be raised to 100). */
const ACM_MAX_DOMAIN_NAMES = 100;

/** Props of {@link EdgeCertificate}. */
export interface EdgeCertificateProps {
  /** Host name the certificate is for. */
  readonly domainName: string;
  /**
   * An existing ACM certificate (e.g. issued by your CA and imported). Takes precedence.
   * @default request one for domainName
   */
  readonly certificateArn?: string;
  /**
   * Route 53 hosted zone that holds domainName: ACM's DNS validation records are written there.
   * Required when certificateArn is absent.
   * @default none
   */
  readonly hostedZoneId?: string;
  /**
   * More host names the certificate must cover (route hosts outside `domainName`); wildcards allowed.
   * An existing `certificateArn` cannot be checked at synth: a warning lists the hosts it must cover.
   * @default none
   */
  readonly subjectAlternativeNames?: string[];
}

/**
 * The ALB's server certificate: either the given ACM certificate, or a public ACM certificate
 * (RSA-2048, auto-renewed by ACM) validated through DNS records in the given Route 53 zone.
 * No self-signed certificates: browsers and API clients must be able to verify the edge.
 */
export class EdgeCertificate extends Construct {
  /** ARN of an issued certificate (for a requested one, only known once validation succeeded). */
  public readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: EdgeCertificateProps) {
    super(scope, id);
    const alternativeNames = [...new Set(props.subjectAlternativeNames ?? [])].filter((h) => h !== props.domainName).sort();
    for (const host of alternativeNames) {
      if (!HOST_NAME.test(host)) invalidProp(this, 'subjectAlternativeNames', host, 'use lowercase DNS names such as payments.example.com or *.example.com');
    }
    if (alternativeNames.length + 1 > ACM_MAX_DOMAIN_NAMES) {
      invalidProp(this, 'subjectAlternativeNames', alternativeNames.length, `an ACM certificate holds at most ${ACM_MAX_DOMAIN_NAMES} names; use a wildcard such as *.example.com`);
    }
    if (props.certificateArn) {
      if (!/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/.+$/.test(props.certificateArn)) {
        invalidProp(this, 'certificateArn', props.certificateArn, 'use an ACM certificate ARN such as arn:aws:acm:eu-central-1:123456789012:certificate/...');
      }
      this.certificateArn = props.certificateArn;
      if (alternativeNames.length > 0) {
        Annotations.of(this).addWarning(
          `certificateArn is used as given: it must cover ${[props.domainName, ...alternativeNames].join(', ')} (the route hosts), or clients get a name mismatch`,
        );
      }
      return;
    }
    if (!props.hostedZoneId) {
      invalidProp(this, 'hostedZoneId', props.hostedZoneId, 'give certificateArn (an existing ACM certificate) or hostedZoneId (to request and DNS-validate one)');
    }
    const certificate = new AcmCertificate(this, 'certificate', {
      domainName: props.domainName,
      subjectAlternativeNames: alternativeNames.length > 0 ? alternativeNames : undefined,
      validationMethod: 'DNS',
      keyAlgorithm: 'RSA_2048',
      options: { certificateTransparencyLoggingPreference: 'ENABLED' },
      lifecycle: { createBeforeDestroy: true },
    });
    // One record per name the certificate covers, keyed by names known at synth time. (Keying by
    // `domain_validation_options[*].domain_name` fails to plan with more than one name: the set is
    // unknown until the certificate exists.) `*.example.com` and `example.com` share one record.
    const validatedNames = [props.domainName, ...alternativeNames].filter((n, _i, all) => !(n.startsWith('*.') && all.includes(n.slice(2))));
    const names = TerraformIterator.fromList(validatedNames);
    const options = TerraformIterator.fromList(certificate.domainValidationOptions);
    const optionOf = (attribute: string) => Fn.one(options.forExpressionForList(`val.${attribute} if val.domain_name == each.value`) as unknown as unknown[]);
    const records = new Route53Record(this, 'validation-record', {
      forEach: names,
      zoneId: props.hostedZoneId!,
      name: Fn.tostring(optionOf('resource_record_name')),
      type: Fn.tostring(optionOf('resource_record_type')),
      records: [Fn.tostring(optionOf('resource_record_value'))],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, 'validation', {
      certificateArn: certificate.arn,
      dependsOn: [records],
    });
    this.certificateArn = validation.certificateArn;
  }
}
