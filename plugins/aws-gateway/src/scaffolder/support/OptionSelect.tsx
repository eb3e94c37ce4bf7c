import FormHelperText from '@material-ui/core/FormHelperText';
import LinearProgress from '@material-ui/core/LinearProgress';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { awsGatewayTranslationRef } from '../../translation';
import { formErrorMessage } from './formError';
import { FormOptionState } from './useFormOption';

/** One choice of a picker. */
export interface PickerOption {
  value: string;
  label: string;
}

export interface OptionSelectProps {
  id: string;
  label: string;
  /** The schema's description (markdown), shown under the field. */
  description?: string;
  required?: boolean;
  disabled?: boolean;
  rawErrors?: string[];
  value: string;
  onChange: (value: string) => void;
  /** Undefined: nothing to read yet (no cluster chosen), a free text field is shown. */
  options?: FormOptionState<PickerOption[]>;
  /** Said when the read answered with no choices (a free text field is shown then). */
  emptyText: string;
  /** Said above a free text field (e.g. "choose a cluster to pick from a list"). */
  freeTextHint?: string;
  inputType?: 'text' | 'number';
  /**
   * The choices are suggestions: any typed value is kept too (e.g. a name
   * not live yet). Otherwise a value must be picked from the list.
   */
  allowTyped?: boolean;
}

/**
 * The fields' one picker: a list of choices read from the backend (loading,
 * refused or failed with the backend's own sentence, empty), or a free text
 * field when there is nothing to read it from.
 */
export function OptionSelect(props: OptionSelectProps) {
  const { id, label, required, disabled, rawErrors = [], value } = props;
  const { options } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const invalid = rawErrors.length > 0;
  const field = {
    rawDescription: props.description,
    rawErrors,
    required,
    disabled,
  };

  const choices = options?.value ?? [];
  const loadedEmpty =
    options !== undefined &&
    !options.loading &&
    !options.error &&
    choices.length === 0;
  if (!options || options.error || loadedEmpty) {
    // Nothing to pick from: the developer can still type the value.
    return (
      <ScaffolderField {...field}>
        {options?.error && (
          <Alert severity="warning" role="alert">
            {t('fields.loadFailed', {
              message: formErrorMessage(options.error, t),
            })}
          </Alert>
        )}
        {loadedEmpty && <FormHelperText>{props.emptyText}</FormHelperText>}
        {!options && props.freeTextHint && (
          <FormHelperText>{props.freeTextHint}</FormHelperText>
        )}
        <TextField
          id={id}
          label={label}
          required={required}
          disabled={disabled}
          error={invalid}
          type={props.inputType ?? 'text'}
          value={value}
          onChange={e => props.onChange(e.target.value)}
        />
      </ScaffolderField>
    );
  }

  if (props.allowTyped) {
    const labels = new Map(choices.map(c => [c.value, c.label]));
    return (
      <ScaffolderField {...field}>
        <Autocomplete
          id={id}
          freeSolo
          // No clear button: the typed text is cleared as any text (and MUI v4's icon buttons still call findDOMNode).
          disableClearable
          disabled={disabled}
          loading={options.loading}
          options={choices.map(c => c.value)}
          renderOption={choice => labels.get(choice) ?? choice}
          // Every choice is offered whatever is typed: the list is short, and the typed text is a name.
          filterOptions={all => all}
          inputValue={value}
          onInputChange={(_event, typed, reason) => {
            if (reason !== 'reset') props.onChange(typed);
          }}
          onChange={(_event, picked) => props.onChange(picked ?? '')}
          renderInput={params => (
            <TextField
              {...params}
              label={label}
              required={required}
              error={invalid}
            />
          )}
        />
        {options.loading && (
          <LinearProgress aria-label={t('fields.loading', { label })} />
        )}
      </ScaffolderField>
    );
  }

  // A value chosen earlier (or a template default) stays visible even when
  // the list no longer offers it; validation on the server decides.
  const shown =
    value && !choices.some(c => c.value === value)
      ? [...choices, { value, label: t('fields.notInList', { value }) }]
      : choices;
  return (
    <ScaffolderField {...field}>
      <TextField
        id={id}
        select
        label={label}
        required={required}
        disabled={disabled || options.loading}
        error={invalid}
        value={value}
        onChange={e => props.onChange(String(e.target.value))}
      >
        {!required && (
          <MenuItem value="">
            <em>{t('fields.none')}</em>
          </MenuItem>
        )}
        {shown.map(choice => (
          <MenuItem key={choice.value} value={choice.value}>
            {choice.label}
          </MenuItem>
        ))}
      </TextField>
      {options.loading && (
        <LinearProgress aria-label={t('fields.loading', { label })} />
      )}
    </ScaffolderField>
  );
}

/** What every picker takes from its field props: id, label, help, state. */
export function fieldBasics<T>(
  props: FieldExtensionComponentProps<T>,
  fallbackLabel: string,
): Pick<
  OptionSelectProps,
  'id' | 'label' | 'description' | 'required' | 'disabled' | 'rawErrors'
> {
  const description = props.uiSchema?.['ui:description'];
  return {
    id: props.idSchema?.$id ?? props.name,
    label: props.schema?.title ?? fallbackLabel,
    description:
      typeof description === 'string' ? description : props.schema?.description,
    required: props.required,
    disabled: props.disabled,
    rawErrors: props.rawErrors,
  };
}
